#include "worker/parse/record_builder.h"

#include <algorithm>

#include "worker/parse/line_scanner.h"

namespace whoisq::parse {
namespace {

using CF = ContactField;
using DF = DomainField;

// Longest value stored for one field; longer ones are cut (hostile input).
constexpr size_t kMaxValueLength = 4096;
// Most street lines and statuses kept per record.
constexpr size_t kMaxListItems = 64;

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

bool ContainsLower(std::string_view lower_haystack, std::string_view needle) {
  return lower_haystack.find(needle) != std::string_view::npos;
}

std::string Clip(std::string_view v) {
  v = Trim(v);
  if (v.size() > kMaxValueLength) v = v.substr(0, kMaxValueLength);
  return std::string(v);
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool LooksLikeIp(std::string_view s) {
  if (s.empty() || s.size() > 45) return false;
  bool colon = false;
  int digits = 0;
  for (char c : s) {
    if (IsDigit(c)) {
      ++digits;
    } else if (c == ':') {
      colon = true;
    } else if (c == '.') {
    } else if (!((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return digits > 0 && (colon || std::count(s.begin(), s.end(), '.') == 3);
}

// Strips brackets, parentheses and separators around a token.
std::string_view StripPunct(std::string_view s) {
  auto junk = [](char c) {
    return c == '[' || c == ']' || c == '(' || c == ')' || c == ',' || c == ';' || c == '"' ||
           c == '\'' || c == '<' || c == '>';
  };
  while (!s.empty() && junk(s.front())) s.remove_prefix(1);
  while (!s.empty() && junk(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> Tokens(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size() && out.size() < 8) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == ',')) ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != '\t' && s[j] != ',') ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

// A domain name token: first word, no trailing dot, lower case; "" if the
// value is not a name.
std::string CleanDomainName(std::string_view value) {
  std::vector<std::string_view> tokens = Tokens(value);
  if (tokens.empty()) return "";
  std::string_view t = StripPunct(tokens[0]);
  while (!t.empty() && t.back() == '.') t.remove_suffix(1);
  if (t.empty() || t.size() > 253) return "";
  for (char c : t) {
    unsigned char u = static_cast<unsigned char>(c);
    if (!(u >= 0x80 || IsDigit(c) || (Lower(c) >= 'a' && Lower(c) <= 'z') || c == '-' ||
          c == '.' || c == '_')) {
      return "";
    }
  }
  if (t.find('.') == std::string_view::npos) return "";
  return ToLower(t);
}

// "MarkMonitor Inc. (292)" -> "MarkMonitor Inc.": a trailing IANA number in
// parentheses is not part of the registrar's name.
std::string_view StripTrailingNumberInParens(std::string_view v) {
  v = Trim(v);
  if (v.size() > 3 && v.back() == ')') {
    size_t open = v.rfind('(');
    if (open != std::string_view::npos && open + 2 < v.size()) {
      std::string_view inner = v.substr(open + 1, v.size() - open - 2);
      if (!inner.empty() && std::all_of(inner.begin(), inner.end(), IsDigit)) {
        return Trim(v.substr(0, open));
      }
    }
  }
  return v;
}

// "MarkMonitor Inc. (R151-LRMS)", "MarkMonitor Inc R45-ME" -> "MarkMonitor Inc.":
// an EPP registrar id after the name.
std::string_view StripRegistrarId(std::string_view v) {
  size_t space = v.rfind(' ');
  if (space == std::string_view::npos) return v;
  std::string_view last = v.substr(space + 1);
  bool parens = last.size() > 2 && last.front() == '(' && last.back() == ')';
  if (parens) last = last.substr(1, last.size() - 2);
  if (last.size() < 4 || (last[0] != 'R' && last[0] != 'r') || !IsDigit(last[1])) return v;
  size_t i = 1;
  while (i < last.size() && IsDigit(last[i])) ++i;
  if (i >= last.size() || last[i] != '-' || i + 1 >= last.size()) return v;
  return Trim(v.substr(0, space));
}

bool IsHandleLike(std::string_view v) {
  if (v.empty() || v.size() > 64) return false;
  bool digit_or_dash = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') return false;
    if (IsDigit(c) || c == '-' || c == '_') digit_or_dash = true;
  }
  return digit_or_dash;
}

std::string_view ExtractEmail(std::string_view line) {
  for (std::string_view t : Tokens(line)) {
    t = StripPunct(t);
    size_t at = t.find('@');
    if (at != std::string_view::npos && at > 0 && at + 1 < t.size()) {
      while (!t.empty() && (t.back() == '.')) t.remove_suffix(1);
      return t;
    }
  }
  return {};
}

// "+1.6502530000", "(415) 829-2341", "Tel. +1 650", "1 6502530000".
bool IsPhoneLine(std::string_view line, bool* is_fax) {
  std::string lower = ToLower(line.substr(0, std::min<size_t>(line.size(), 12)));
  *is_fax = false;
  std::string_view s = line;
  for (std::string_view label : {"telephone", "phone", "tel", "fax", "facsimile"}) {
    if (lower.starts_with(label)) {
      *is_fax = label == "fax" || label == "facsimile";
      s.remove_prefix(label.size());
      while (!s.empty() && (s[0] == '.' || s[0] == ':' || s[0] == ' ' || s[0] == '\t')) {
        s.remove_prefix(1);
      }
      break;
    }
  }
  std::string lower_line = ToLower(line);
  if (ContainsLower(lower_line, "(fax)")) *is_fax = true;
  int digits = 0;
  for (char c : s) {
    if (IsDigit(c)) {
      ++digits;
    } else if (!(c == ' ' || c == '+' || c == '-' || c == '.' || c == '(' || c == ')' ||
                 c == 'x' || c == '/' || c == '\t')) {
      // "(Phone)" / "(FAX)" suffixes.
      if (c == 'p' || c == 'P' || c == 'h' || c == 'o' || c == 'n' || c == 'e' || c == 'f' ||
          c == 'F' || c == 'a' || c == 'A' || c == 'X' || c == 'H' || c == 'O' || c == 'N' ||
          c == 'E') {
        continue;
      }
      return false;
    }
  }
  return digits >= 6;
}

}  // namespace

bool IsRedactedValue(std::string_view value) {
  // Notices, not values. Privacy-service company names ("Withheld for
  // Privacy ehf", "Domains By Proxy, LLC", "Contact Privacy Inc.") are real
  // organizations and stay.
  static constexpr std::string_view kPhrases[] = {
      "redacted",          "data protected",      "not disclosed",     "gdpr",
      "non-public",        "statutory masking",   "query the rdds",    "not shown",
      "hidden",            "undisclosed",         "not published",     "publicly disclosed",
      "contact the registrar", "visit ",          "http://",           "https://",
      "whois.",            "anonymi",             "not available",     "please query",
      "data restricted",   "private data",        "information not available"};
  if (value.empty()) return false;
  // A bare address ("jane@example.com") is a value, never a notice.
  if (value.find('@') != std::string_view::npos && value.find(' ') == std::string_view::npos) {
    return false;
  }
  char buf[200];
  const size_t len = std::min(value.size(), sizeof buf);
  for (size_t i = 0; i < len; ++i) buf[i] = Lower(value[i]);
  std::string_view lower(buf, len);
  if (lower == "n/a" || lower == "na" || lower == "-" || lower == "private" || lower == "none" ||
      lower == "not applicable" || lower == "withheld" || lower == "protected") {
    return true;
  }
  for (std::string_view p : kPhrases) {
    if (ContainsLower(lower, p)) return true;
  }
  return false;
}

bool LooksLikeHostName(std::string_view host) {
  if (host.size() < 3 || host.size() > 253) return false;
  bool dot = false, letter = false;
  for (char c : host) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '.') {
      dot = true;
    } else if ((Lower(c) >= 'a' && Lower(c) <= 'z') || u >= 0x80) {
      letter = true;
    } else if (!(IsDigit(c) || c == '-' || c == '_')) {
      return false;
    }
  }
  return dot && letter && host.front() != '.' && host.front() != '-';
}

RecordBuilder::RecordBuilder(schema::RegrInfo& regrinfo, const ServerRule& rule)
    : regrinfo_(regrinfo), rule_(rule) {}

bool RecordBuilder::HasDates() const {
  const schema::Domain& d = regrinfo_.domain;
  return !d.created.empty() || !d.expires.empty();
}

bool RecordBuilder::SetDomain(DomainField field, std::string_view value) {
  value = Trim(value);
  if (value.empty()) return false;
  schema::Domain& d = regrinfo_.domain;
  auto set_date = [&](std::string& slot) {
    if (!slot.empty()) return false;
    std::string date = NormalizeDate(value, rule_.date_order);
    if (date.empty()) return false;
    slot = std::move(date);
    return true;
  };
  switch (field) {
    case DF::kName: {
      if (!d.name.empty()) return false;
      std::string name = CleanDomainName(value);
      if (name.empty()) return false;
      d.name = std::move(name);
      return true;
    }
    case DF::kHandle:
      if (!d.handle.empty()) return false;
      d.handle = Clip(value);
      return true;
    case DF::kStatus:
      if (d.status.size() >= kMaxListItems) return false;
      // "OK-UNTIL 20131218000000" (UANIC): the status carries the expiry.
      if (d.expires.empty() && value.size() > 9 && (value[0] == 'O' || value[0] == 'o') &&
          ToLower(value.substr(0, 8)) == "ok-until") {
        d.expires = NormalizeDate(value.substr(8), rule_.date_order);
      }
      d.status.push_back(Clip(value));
      return true;
    case DF::kCreated:
      return set_date(d.created);
    case DF::kChanged:
      return set_date(d.changed);
    case DF::kExpires:
      return set_date(d.expires);
    case DF::kSponsor: {
      if (!d.sponsor.empty()) return false;
      std::string_view v = StripTrailingNumberInParens(value);
      // "Example Inc. ( https://nic.at/registrar/434 )": a link is not the name.
      if (v.size() > 2 && v.back() == ')') {
        size_t open = v.rfind('(');
        if (open != std::string_view::npos && open > 0 &&
            v.substr(open).find("://") != std::string_view::npos) {
          v = Trim(v.substr(0, open));
        }
      }
      // "Example Ltd [Tag = EXAMPLE]" (Nominet): the tag is not the name.
      if (v.size() > 2 && v.back() == ']') {
        size_t open = v.rfind('[');
        if (open != std::string_view::npos && open > 0) v = Trim(v.substr(0, open));
      }
      if (!rule_.keep_registrar_suffix) v = StripRegistrarId(v);
      if (v.empty() || IsRedactedValue(v)) return false;
      d.sponsor = Clip(v);
      return true;
    }
    case DF::kReferer:
      if (!d.referer.empty()) return false;
      d.referer = Clip(value);
      return true;
    case DF::kNserver:
      // "ns1.example.net, ns2.example.net": a list (see AddNameserverLine).
      if (value.find(',') != std::string_view::npos) {
        size_t before = d.nserver.size();
        AddNameserverLine(value);
        return d.nserver.size() > before;
      }
      return AddNameserver(value);
    case DF::kDesc:
      if (d.desc.size() >= kMaxListItems) return false;
      d.desc.push_back(Clip(value));
      return true;
    case DF::kSource:
      if (!d.source.empty()) return false;
      d.source = Clip(value);
      return true;
    case DF::kDnssec:
      if (!d.dnssec.empty()) return false;
      d.dnssec = Clip(value);
      return true;
    case DF::kRegistrarId:
      if (!d.registrar_id.empty()) return false;
      d.registrar_id = Clip(value);
      return true;
    case DF::kNone:
    case DF::kIgnore:
      break;
  }
  return false;
}

bool RecordBuilder::AddNameserver(std::string_view value) {
  value = Trim(value);
  // YAML / list items: "- ns1.example.com".
  if (value.size() > 2 && value[0] == '-' && (value[1] == ' ' || value[1] == '\t')) {
    value = Trim(value.substr(2));
  }
  std::vector<std::string_view> tokens = Tokens(value);
  if (tokens.empty()) return false;
  // Zone-file style: "example.pt NS ns1.example.com.".
  if (tokens.size() >= 3 && (tokens[1] == "NS" || tokens[1] == "ns")) {
    tokens.erase(tokens.begin(), tokens.begin() + 2);
  }
  std::string_view host = StripPunct(tokens[0]);
  while (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (!LooksLikeHostName(host)) return false;
  if (regrinfo_.domain.nserver.size() >= kMaxListItems) return false;
  std::string ip;
  for (size_t i = 1; i < tokens.size(); ++i) {
    std::string_view t = StripPunct(tokens[i]);
    if (LooksLikeIp(t)) {
      ip = std::string(t);
      break;
    }
  }
  std::string key = ToLower(host);
  if (key == regrinfo_.domain.name) return false;  // "DNS: example.dk" names the zone
  auto [it, inserted] = regrinfo_.domain.nserver.emplace(std::move(key), ip);
  if (!inserted && it->second.empty()) it->second = ip;
  return true;
}

void RecordBuilder::UpdateChanged(std::string_view value) {
  std::string date = NormalizeDate(value, rule_.date_order);
  if (!date.empty() && date > regrinfo_.domain.changed) regrinfo_.domain.changed = std::move(date);
}

void RecordBuilder::AddNameserverLine(std::string_view line) {
  std::vector<std::string_view> tokens = Tokens(Trim(line));
  size_t hosts = 0;
  for (std::string_view t : tokens) {
    std::string_view h = StripPunct(t);
    while (!h.empty() && h.back() == '.') h.remove_suffix(1);
    if (LooksLikeHostName(h)) ++hosts;
  }
  if (hosts <= 1) {
    AddNameserver(line);
    return;
  }
  for (std::string_view t : tokens) AddNameserver(t);
}

schema::Contact* RecordBuilder::ContactFor(Role role) {
  switch (role) {
    case Role::kOwner:
      return &regrinfo_.owner;
    case Role::kAdmin:
      return &regrinfo_.admin;
    case Role::kTech:
      return &regrinfo_.tech;
    case Role::kBilling:
      return &regrinfo_.billing;
    case Role::kZone:
      return &regrinfo_.zone;
    case Role::kAbuse:
      return &regrinfo_.abuse;
    case Role::kNone:
      break;
  }
  return nullptr;
}

void RecordBuilder::SetContact(Role role, ContactField field, std::string_view value) {
  schema::Contact* c = ContactFor(role);
  value = Trim(value);
  if (c == nullptr || value.empty() || field == CF::kNone || field == CF::kIgnore) return;
  if (field == CF::kNameOrHandle) {
    field = IsHandleLike(value) ? CF::kHandle : CF::kName;
    // "Registrant: Example LLC" after "Registrant Contact Name: Jane Doe"
    // (auDA): the bare role names the entity, an organization.
    if (field == CF::kName && !c->name.empty() && c->organization.empty() && c->name != value &&
        !IsRedactedValue(value)) {
      field = CF::kOrganization;
    }
  }
  if (field != CF::kCreated && field != CF::kChanged && IsRedactedValue(value)) {
    std::string name = ContactFieldName(field);
    if (std::find(c->redacted.begin(), c->redacted.end(), name) == c->redacted.end()) {
      c->redacted.push_back(std::move(name));
    }
    return;
  }
  auto set_once = [&](std::string& slot, std::string_view v) {
    if (slot.empty() && !v.empty()) slot = Clip(v);
  };
  switch (field) {
    case CF::kName: {
      // "Jane Doe <jane@example.com>", "Jane Doe  jane@example.com".
      std::string_view email = ExtractEmail(value);
      if (!email.empty()) {
        set_once(c->email, email);
        std::string_view before = Trim(value.substr(0, value.find(email)));
        while (!before.empty() && (before.back() == '<' || before.back() == '(')) {
          before = Trim(before.substr(0, before.size() - 1));
        }
        set_once(c->name, before);
        break;
      }
      set_once(c->name, value);
      break;
    }
    case CF::kOrganization:
      set_once(c->organization, value);
      break;
    case CF::kEmail: {
      std::string_view email = ExtractEmail(value);
      set_once(c->email, email);
      break;
    }
    case CF::kPhone:
      set_once(c->phone, value);
      break;
    case CF::kFax:
      set_once(c->fax, value);
      break;
    case CF::kHandle:
      if (value != "-") set_once(c->handle, value);
      break;
    case CF::kStreet:
      if (c->address.street.size() < kMaxListItems) c->address.street.push_back(Clip(value));
      break;
    case CF::kCity:
      set_once(c->address.city, value);
      break;
    case CF::kState:
      set_once(c->address.state, value);
      break;
    case CF::kPcode:
      set_once(c->address.pcode, value);
      break;
    case CF::kCountry:
      set_once(c->address.country, value);
      break;
    case CF::kCreated:
      if (c->created.empty()) c->created = NormalizeDate(value, rule_.date_order);
      break;
    case CF::kChanged:
      if (c->changed.empty()) c->changed = NormalizeDate(value, rule_.date_order);
      break;
    case CF::kGivenName:
      if (c->name.empty()) {
        c->name = Clip(value);
        name_is_given_[static_cast<int>(role)] = true;
      }
      break;
    case CF::kFamilyName:
      if (name_is_given_[static_cast<int>(role)]) {
        c->name += ' ';
        c->name += Clip(value);
        name_is_given_[static_cast<int>(role)] = false;
      } else if (c->name.empty()) {
        c->name = Clip(value);
      }
      break;
    case CF::kNameOrHandle:
    case CF::kNone:
    case CF::kIgnore:
      break;
  }
}

void RecordBuilder::AddContactLine(Role role, std::string_view line) {
  auto& lines = contact_lines_[static_cast<int>(role)];
  line = Trim(line);
  if (!line.empty() && lines.size() < kMaxListItems) lines.emplace_back(line);
}

void RecordBuilder::Finish() {
  // RPSL domain objects without a holder contact (.ie, .hr, .il): the first
  // "descr:" line names the holder.
  if (regrinfo_.owner.name.empty() && regrinfo_.owner.organization.empty() &&
      regrinfo_.owner.handle.empty() && !regrinfo_.domain.desc.empty() &&
      contact_lines_[static_cast<int>(Role::kOwner)].empty() &&
      !LooksLikeHostName(regrinfo_.domain.desc.front())) {
    SetContact(Role::kOwner, ContactField::kName, regrinfo_.domain.desc.front());
  }
  for (int r = 1; r < kRoleCount; ++r) {
    Role role = static_cast<Role>(r);
    const auto& lines = contact_lines_[r];
    if (lines.empty()) continue;
    schema::Contact* c = ContactFor(role);
    bool first = true;
    bool naming = false;  // still reading a multi-line name
    bool had_name = !c->name.empty() || !c->organization.empty();
    for (const std::string& line : lines) {
      std::string_view email = ExtractEmail(line);
      if (!email.empty()) {
        if (c->email.empty()) c->email = std::string(email);
        // "DNS Admin  dns-admin@example.com": the text before is the name.
        std::string_view before = Trim(std::string_view(line).substr(0, line.find(email)));
        while (!before.empty() && (before.back() == '<' || before.back() == '(')) {
          before = Trim(before.substr(0, before.size() - 1));
        }
        if (first && !had_name && !before.empty()) {
          first = false;
          c->name = std::string(before);
        }
        continue;
      }
      bool is_fax = false;
      if (IsPhoneLine(line, &is_fax)) {
        if (!is_fax && c->phone.empty()) {
          c->phone = line;
        } else if (c->fax.empty()) {
          c->fax = line;
        }
        continue;
      }
      if (first && !had_name) {
        first = false;
        if (IsRedactedValue(line)) {
          SetContact(role, CF::kName, line);
          continue;
        }
        if (role == Role::kOwner && rule_.owner_block_is_organization) {
          c->organization = line;
        } else {
          c->name = line;
          naming = rule_.contact_name_until_street;
        }
        continue;
      }
      if (naming && !line.empty() && !IsDigit(line[0])) {
        c->name += '\n';
        c->name += line;
        continue;
      }
      naming = false;
      first = false;
      if (IsRedactedValue(line)) continue;
      if (c->address.street.size() < kMaxListItems) c->address.street.push_back(line);
    }
  }
}

}  // namespace whoisq::parse
