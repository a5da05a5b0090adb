#include "worker/parse/layout_parser.h"

namespace whoisq::parse {
namespace {

using CF = ContactField;
using DF = DomainField;

bool IsRegistrarNameKey(std::string_view k) {
  return k == "name" || k == "registrar name" || k == "organization" || k == "organisation" ||
         k == "company" || k == "registrar" || k == "organization name" ||
         k == "organisation name" || k == "company name";
}
bool IsRegistrarUrlKey(std::string_view k) {
  return k == "website" || k == "url" || k == "www" || k == "web" || k == "homepage" ||
         k == "referral url" || k == "registrar url" || k == "web site";
}

bool IsNameserverKey(std::string_view k) {
  return k == "hostname" || k == "host" || k == "host name" || k == "name" ||
         LookupDomainKey(k) == DF::kNserver;
}

// The header a free line names, if any: "Registrant", "Nameservers",
// "Titular / Registrant", "TECHNICAL CONTACT(S)".
SectionHeader FreeLineHeader(std::string_view text) {
  if (text.size() > 60) return {};
  size_t slash = text.rfind(" / ");
  if (slash != std::string_view::npos) text = text.substr(slash + 3);
  int words = 0;
  bool in = false;
  for (char c : text) {
    if (c == ':' || c == '@' || c == '.' || c == ',' || c == ';' || c == '"' || c == '=') return {};
    bool blank = c == ' ' || c == '\t';
    if (!blank && !in) ++words;
    in = !blank;
  }
  if (words == 0 || words > 6) return {};
  SectionHeader h = LookupSectionHeader(NormalizeKey(text));
  if (h.kind == SectionKind::kField) return {};
  return h;
}

}  // namespace

LayoutParser::LayoutParser(const std::vector<WhoisLine>& lines, const ServerRule& rule,
                           RecordBuilder& builder)
    : lines_(lines), rule_(rule), builder_(builder), objects_(lines) {}

KeyTarget LayoutParser::Resolve(const WhoisLine& line) const {
  for (const KeyAlias& alias : rule_.aliases) {
    if (alias.key == line.key) return alias.target;
  }
  // JPRS: "[Organization]" and "[登録者名]" at top level name the registrant.
  if (line.bracket) {
    if (line.key == "organization" || line.key == "組織名") {
      return KeyTarget{.role = Role::kOwner, .contact = CF::kOrganization};
    }
    if (line.key == "登録者名") return KeyTarget{.role = Role::kOwner, .contact = CF::kName};
  }
  return ResolveKey(line.key);
}

void LayoutParser::Apply(const KeyTarget& target, std::string_view value) {
  if (target.domain == DF::kChanged && previous_field_ == DF::kChanged) {
    builder_.UpdateChanged(value);
  } else if (target.domain != DF::kNone) {
    builder_.SetDomain(target.domain, value);
  } else if (target.role != Role::kNone) {
    builder_.SetContact(target.role, target.contact, value);
  }
}

void LayoutParser::Open(const SectionHeader& header, int indent) {
  section_ = Section{};
  section_.kind = header.kind;
  section_.role = header.role;
  section_.field = header.field;
  section_.pending = header.contact_field;
  section_.indent = indent;
}

LayoutParser::Fit LayoutParser::InSection(const WhoisLine& line) {
  Section& s = section_;
  const bool deeper = line.indent > s.indent;
  if (!line.key.empty()) {
    if (line.value.empty()) {
      // A header: a known one opens a new section.
      if (LookupSectionHeader(line.key).kind != SectionKind::kNone) {
        // "Address:" inside a contact is a field header, handled below.
        if (!(s.kind == SectionKind::kContact && deeper &&
              LookupContactKey(line.key) != CF::kNone)) {
          return Fit::kNotMine;
        }
      }
      if (s.kind == SectionKind::kContact) {
        CF field = LookupContactKey(line.key);
        if (field != CF::kNone) {
          s.pending = field;
          s.has_content = true;
          return Fit::kMine;
        }
      }
      return deeper ? Fit::kMine : Fit::kNotMine;
    }
    switch (s.kind) {
      case SectionKind::kContact: {
        CF field = LookupContactKey(line.key);
        if (field == CF::kNone) {
          auto [role, rest] = SplitRolePrefix(line.key);
          if (role == s.role) field = LookupContactKey(rest);
        }
        if (field != CF::kNone && (deeper || !s.implicit)) {
          builder_.SetContact(s.role, field, line.value);
          s.last = field;
          s.pending = CF::kNone;
          s.has_content = true;
          return Fit::kMine;
        }
        if (deeper) {
          const KeyTarget& t = target_;
          if (t.known()) Apply(t, line.value);
          return Fit::kMine;
        }
        return Fit::kNotMine;
      }
      case SectionKind::kRegistrar:
        if (IsRegistrarNameKey(line.key)) {
          builder_.SetDomain(DF::kSponsor, line.value);
          s.has_content = true;
          return Fit::kMine;
        }
        if (IsRegistrarUrlKey(line.key)) {
          builder_.SetDomain(DF::kReferer, line.value);
          s.has_content = true;
          return Fit::kMine;
        }
        if (deeper) return Fit::kMine;
        // "NIC Handle : X" under "** Registrar:" (nic.tr) stays in the block.
        if (!s.implicit && !target_.known()) return Fit::kMine;
        return Fit::kNotMine;
      case SectionKind::kNameservers:
        if (IsNameserverKey(line.key)) {
          builder_.AddNameserver(line.value);
          s.has_content = true;
          return Fit::kMine;
        }
        if (deeper) {
          const KeyTarget& t = target_;
          if (t.known()) Apply(t, line.value);
          return Fit::kMine;
        }
        // "Handle: X" between hosts (DK Hostmaster) stays in the list.
        if (!s.implicit && (!target_.known() || line.key == "handle" || line.key == "nic hdl" ||
                            line.key.starts_with("ip"))) {
          return Fit::kMine;
        }
        return Fit::kNotMine;
      case SectionKind::kField:
        // "Domain:" then "name: example.ee" (.ee).
        if (s.field == DF::kName && line.key == "name") {
          builder_.SetDomain(DF::kName, line.value);
          return Fit::kMineAndClose;
        }
        if (deeper) {
          const KeyTarget& t = target_;
          if (t.known()) Apply(t, line.value);
          return Fit::kMine;
        }
        return Fit::kNotMine;
      case SectionKind::kNone:
        break;
    }
    return Fit::kNotMine;
  }
  // A free line.
  if (s.implicit && !deeper) return Fit::kNotMine;
  if (!deeper && FreeLineHeader(line.text).kind != SectionKind::kNone) return Fit::kNotMine;
  s.has_content = true;
  switch (s.kind) {
    case SectionKind::kContact:
      if (s.pending != CF::kNone) {
        builder_.SetContact(s.role, s.pending, line.text);
      } else if (s.last == CF::kStreet && deeper) {
        builder_.SetContact(s.role, CF::kStreet, line.text);
      } else {
        builder_.AddContactLine(s.role, line.text);
      }
      return Fit::kMine;
    case SectionKind::kNameservers:
      builder_.AddNameserverLine(line.text);
      return Fit::kMine;
    case SectionKind::kRegistrar:
      builder_.SetDomain(DF::kSponsor, line.text);
      return Fit::kMine;
    case SectionKind::kField:
      builder_.SetDomain(s.field, line.text);
      return s.field == DF::kStatus ? Fit::kMine : Fit::kMineAndClose;
    case SectionKind::kNone:
      break;
  }
  return Fit::kNotMine;
}

void LayoutParser::TopLevelFreeLine(const WhoisLine& line) {
  std::string_view text = line.text;
  SectionHeader header = FreeLineHeader(text);
  if (header.kind != SectionKind::kNone) {
    Open(header, line.indent);
    return;
  }
  if (text.size() > 160) return;
  // "Domain-name         google.sk": a key, then a run of blanks.
  for (size_t i = 0; i + 1 < text.size() && i < 48; ++i) {
    if (text[i] == '\t' || (text[i] == ' ' && text[i + 1] == ' ')) {
      // "...the sponsoring registrar.  Users may consult" is a sentence that
      // ends, not a key; a dotted leader ("Registrar.....") still is one.
      std::string_view raw_key = text.substr(0, i);
      if (raw_key.ends_with('.') && !raw_key.ends_with("..")) break;
      std::string key = NormalizeKey(raw_key);
      WhoisLine keyed = line;
      keyed.key = key;
      keyed.value = Trim(text.substr(i));
      KeyTarget t = Resolve(keyed);
      if (t.known() && !keyed.value.empty()) {
        Apply(t, keyed.value);
        return;
      }
      break;
    }
  }
  // "Record created on 22-Apr-2003": the longest leading words naming a date.
  if (text.size() > 120) return;
  size_t first_space = text.find(' ');
  if (first_space == std::string_view::npos ||
      !StartsDateKey(NormalizeKey(text.substr(0, first_space)))) {
    return;
  }
  bool digit = false;
  for (char c : text) digit |= (c >= '0' && c <= '9');
  if (!digit) return;
  std::string words;
  size_t i = 0;
  for (int n = 0; n < 6 && i < text.size(); ++n) {
    size_t j = text.find(' ', i);
    if (j == std::string_view::npos) break;
    if (!words.empty()) words.push_back(' ');
    words += NormalizeKey(text.substr(i, j - i));
    DomainField f = LookupDomainKey(words);
    if (f == DF::kCreated || f == DF::kChanged || f == DF::kExpires) {
      if (builder_.SetDomain(f, text.substr(j + 1))) return;
    }
    i = j + 1;
    while (i < text.size() && text[i] == ' ') ++i;
  }
}

void LayoutParser::TopLevel(const WhoisLine& line) {
  if (line.key.empty()) {
    TopLevelFreeLine(line);
    return;
  }
  if (line.value.empty()) {
    SectionHeader header = LookupSectionHeader(line.key);
    if (header.kind != SectionKind::kNone) Open(header, line.indent);
    return;
  }
  const KeyTarget t = target_;
  if (!t.known()) return;
  // "Nameservers: a.example b.example": a plural key may list several hosts.
  if (t.domain == DF::kNserver && line.key.ends_with("servers")) {
    builder_.AddNameserverLine(line.value);
  } else {
    Apply(t, line.value);
  }
  // Continuation lines: "nameservers: a" then deeper "b"; "Address: x" then "y".
  if (t.domain == DF::kNserver) {
    Open(SectionHeader{SectionKind::kNameservers}, line.indent);
    section_.implicit = true;
  } else if (t.role != Role::kNone && t.contact == CF::kStreet) {
    SectionHeader h{SectionKind::kContact, t.role};
    Open(h, line.indent);
    section_.implicit = true;
    section_.last = CF::kStreet;
  } else if (t.role != Role::kNone &&
             (t.contact == CF::kNameOrHandle || t.contact == CF::kHandle)) {
    // "Administrative Contact: XY12 (x@example.com)" then deeper lines.
    SectionHeader h{SectionKind::kContact, t.role};
    Open(h, line.indent);
    section_.implicit = true;
  }
}

bool LayoutParser::BlockGoesOn(size_t blank) const {
  if (section_.implicit) return false;
  // Only a single blank line: look at the next line, no further (linear time).
  size_t j = blank + 1;
  if (j < lines_.size() && lines_[j].comment) ++j;
  if (j >= lines_.size() || lines_[j].blank) return false;
  const WhoisLine& next = lines_[j];
  return next.key.empty() && next.indent > section_.indent && section_.indent < next.indent - 1;
}

void LayoutParser::Run() {
  for (size_t i = 0; i < lines_.size(); ++i) {
    const WhoisLine& line = lines_[i];
    if (objects_.IsObjectLine(i)) {
      section_ = Section{};
      continue;
    }
    if (line.blank) {
      if (section_.kind != SectionKind::kNone && (section_.has_content || section_.implicit) &&
          !BlockGoesOn(i)) {
        section_ = Section{};
      }
      continue;
    }
    if (line.comment) continue;
    target_ = line.key.empty() ? KeyTarget{} : Resolve(line);
    DomainField field = target_.domain;
    if (section_.kind != SectionKind::kNone) {
      Fit fit = InSection(line);
      if (fit == Fit::kMine) {
        previous_field_ = field;
        continue;
      }
      section_ = Section{};
      if (fit == Fit::kMineAndClose) {
        previous_field_ = field;
        continue;
      }
    }
    TopLevel(line);
    previous_field_ = field;
  }
  objects_.Resolve(builder_);
}

}  // namespace whoisq::parse
