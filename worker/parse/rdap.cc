#include "worker/parse/rdap.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <exception>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "schema/ascii.h"
#include "worker/parse/answer_classifier.h"
#include "worker/parse/date_normalizer.h"
#include "worker/parse/field_aliases.h"
#include "worker/parse/line_scanner.h"
#include "worker/parse/record_builder.h"
#include "worker/parse/server_rules.h"
#include "worker/parse/text_decoder.h"

namespace whoisq::parse {
namespace {

using Json = nlohmann::json;
using CF = ContactField;
using DF = DomainField;

// Bounds against hostile bodies. Lists the record keeps are capped as the
// WHOIS parser caps them (RecordBuilder: 64 items, 4 KB per value).
constexpr int kMaxDepth = 64;             // nesting of JSON arrays and objects
constexpr size_t kMaxScan = 1024;         // elements read from any one JSON array
constexpr size_t kMaxListItems = 64;      // name servers, statuses, desc lines, mnt-by
constexpr size_t kMaxEntities = 256;      // entities visited, all nesting levels together
constexpr size_t kMaxValueLength = 4096;  // bytes per stored value
constexpr size_t kMaxDisclaimer = 1024;   // bytes; the whole notice stays in rawdata
constexpr size_t kMaxThrottleText = 65536;  // bytes of notice text scanned for refusals

enum class Kind { kUnknown, kDomain, kIp, kAutnum, kEntity, kNameserver };

// ---- JSON access that never throws: a member of the wrong type is absent ----

const Json* Member(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::string_view String(const Json* value) {
  if (value == nullptr || !value->is_string()) return {};
  return value->get_ref<const std::string&>();
}

std::string_view StringMember(const Json& object, const char* key) {
  return String(Member(object, key));
}

// The first kMaxScan elements of an array; none when `value` is not an array.
std::span<const Json> Elements(const Json* value) {
  if (value == nullptr || !value->is_array()) return {};
  const auto& a = value->get_ref<const Json::array_t&>();
  return {a.data(), std::min(a.size(), kMaxScan)};
}

std::span<const Json> ArrayMember(const Json& object, const char* key) {
  return Elements(Member(object, key));
}

// A non-negative integer, also written as a string of digits; -1 otherwise.
int64_t Number(const Json* value) {
  if (value == nullptr) return -1;
  if (value->is_number_unsigned()) {
    const uint64_t n = value->get<uint64_t>();
    return n > static_cast<uint64_t>(INT64_MAX) ? -1 : static_cast<int64_t>(n);
  }
  if (value->is_number_integer()) return std::max<int64_t>(-1, value->get<int64_t>());
  std::string_view s = String(value);
  if (s.empty() || s.size() > 18) return -1;
  int64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  return n;
}

// ---- text helpers ----

// Trims and cuts at `max` bytes without splitting a UTF-8 sequence.
std::string Clip(std::string_view v, size_t max = kMaxValueLength) {
  v = Trim(v);
  if (v.size() > max) {
    size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(v[cut]) & 0xC0) == 0x80) --cut;
    v = v.substr(0, cut);
  }
  return std::string(v);
}

// ARIN ends remark lines with "\r"; some captures carry it escaped twice
// (backslash, 'r'). Neither belongs to the text.
std::string_view CleanLine(std::string_view s) {
  s = Trim(s);
  while (s.ends_with("\\r") || s.ends_with("\\n")) s = Trim(s.substr(0, s.size() - 2));
  return s;
}

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// A jCard parameter (`params[key]`, a string or a list of strings) names `want`.
bool ParamHas(const Json& params, const char* key, std::string_view want) {
  const Json* v = Member(params, key);
  if (v == nullptr) return false;
  if (v->is_string()) return schema::EqualsIgnoreCase(String(v), want);
  for (const Json& e : Elements(v)) {
    if (schema::EqualsIgnoreCase(String(&e), want)) return true;
  }
  return false;
}

// Splits an address label on line breaks: real ones and the two characters
// "\n" (ARIN captures escaped twice). Blank lines are dropped.
std::vector<std::string_view> LabelLines(std::string_view label) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  size_t i = 0;
  while (lines.size() < kMaxListItems) {
    size_t skip = 0;
    const bool end = i >= label.size();
    if (!end) {
      if (label[i] == '\n' || label[i] == '\r') {
        skip = 1;
      } else if (label[i] == '\\' && i + 1 < label.size() &&
                 (label[i + 1] == 'n' || label[i + 1] == 'r')) {
        skip = 2;
      }
    }
    if (!end && skip == 0) {
      ++i;
      continue;
    }
    std::string_view line = Trim(label.substr(start, i - start));
    if (!line.empty()) lines.push_back(line);
    if (end) break;
    i += skip;
    start = i;
  }
  return lines;
}

// "ON", "CA", "NSW": the region line of ARIN's five-line labels.
bool IsRegionCode(std::string_view s) {
  return s.size() >= 2 && s.size() <= 3 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// ---- jCard (RFC 7095) ----

struct ContactValue {
  CF field;
  std::string value;
};

// What one entity says about itself.
struct EntityValues {
  std::vector<ContactValue> values;  // in jCard order; the builder keeps the first of each
  std::string url;                   // jCard "url" (a registrar's web site)
  bool is_org = false;               // jCard kind "org"
  bool has_org = false;              // jCard "org" property present
  std::string_view handle;
};

class VcardReader {
 public:
  explicit VcardReader(EntityValues& out) : out_(out) {}

  void Read(const Json& vcard_array) {
    std::span<const Json> top = Elements(&vcard_array);
    if (top.size() < 2) return;
    std::string phone, other_tel, given, family;
    bool has_fn = false, has_adr = false;
    for (const Json& property : Elements(&top[1])) {
      std::span<const Json> p = Elements(&property);
      if (p.size() < 4) continue;
      const std::string name = schema::AsciiLower(String(&p[0]));
      const Json& params = p[1];
      const Json& value = p[3];
      if (name == "fn") {
        has_fn = has_fn || !Trim(String(&value)).empty();
        Add(CF::kName, String(&value));
      } else if (name == "n") {
        std::span<const Json> parts = Elements(&value);
        if (parts.size() >= 2 && family.empty() && given.empty()) {
          family = Clip(String(&parts[0]));
          given = Clip(String(&parts[1]));
        }
      } else if (name == "org") {
        out_.has_org = true;
        Add(CF::kOrganization, Joined(value, ", "));
      } else if (name == "email") {
        Add(CF::kEmail, String(&value));
      } else if (name == "tel") {
        std::string number = TelNumber(String(&value));
        if (ParamHas(params, "type", "fax")) {
          Add(CF::kFax, number);
        } else if (ParamHas(params, "type", "voice")) {
          if (phone.empty()) phone = number;
        } else if (other_tel.empty()) {
          other_tel = number;
        }
      } else if (name == "adr") {
        if (!has_adr) has_adr = ReadAddress(params, value);
      } else if (name == "kind") {
        out_.is_org = schema::EqualsIgnoreCase(Trim(String(&value)), "org");
      } else if (name == "url") {
        if (out_.url.empty()) out_.url = Clip(String(&value));
      }
    }
    // A voice number first, else any number that is not a fax.
    Add(CF::kPhone, phone.empty() ? other_tel : phone);
    if (!has_fn && (!given.empty() || !family.empty())) {
      Add(CF::kName, Trim(given + " " + family));
    }
  }

 private:
  void Add(CF field, std::string_view value) {
    value = Trim(value);
    // "-" is a placeholder for nothing (LACNIC), neither a value nor a notice.
    if (value.empty() || value == "-") return;
    out_.values.push_back({field, Clip(value)});
  }

  // A string, or the non-empty strings of a list joined.
  static std::string Joined(const Json& value, std::string_view separator) {
    if (value.is_string()) return Clip(String(&value));
    std::string out;
    for (const Json& e : Elements(&value)) {
      std::string_view s = Trim(String(&e));
      if (s.empty()) continue;
      if (!out.empty()) out += separator;
      out += s;
      if (out.size() > kMaxValueLength) break;
    }
    return Clip(out);
  }

  // "tel:+1.2083895740;ext=12" -> "+1.2083895740" (the extension is dropped,
  // as the WHOIS parser drops "Phone Ext").
  static std::string TelNumber(std::string_view v) {
    v = Trim(v);
    if (schema::StartsWithIgnoreCase(v, "tel:")) {
      v.remove_prefix(4);
      v = v.substr(0, v.find(';'));
    }
    return Clip(v);
  }

  // One "adr" property: the 7 structured parts (post office box, extended,
  // street, locality, region, postal code, country name), else the "label"
  // parameter. The "cc" parameter (RFC 8605) wins over the country name.
  // Returns true when it gave anything.
  bool ReadAddress(const Json& params, const Json& value) {
    const size_t before = out_.values.size();
    Add(CF::kCountry, StringMember(params, "cc"));
    std::span<const Json> parts = Elements(&value);
    if (parts.size() >= 7) {
      for (size_t i = 0; i < 3; ++i) {
        if (parts[i].is_string()) Add(CF::kStreet, String(&parts[i]));
        for (const Json& line : Elements(&parts[i])) Add(CF::kStreet, String(&line));
      }
      Add(CF::kCity, Joined(parts[3], " "));
      Add(CF::kState, Joined(parts[4], " "));
      Add(CF::kPcode, Joined(parts[5], " "));
      Add(CF::kCountry, Joined(parts[6], " "));
    } else {
      // Fewer parts (AFRINIC): address lines, not positions.
      for (const Json& part : parts) Add(CF::kStreet, Joined(part, " "));
    }
    const bool structured = std::any_of(
        out_.values.begin() + static_cast<std::ptrdiff_t>(before), out_.values.end(),
        [](const ContactValue& v) { return v.field != CF::kCountry; });
    if (!structured) ReadLabel(String(Member(params, "label")));
    return out_.values.size() > before;
  }

  // ARIN writes street lines, city, region code, postal code and country on
  // lines of their own; other labels are address lines (as the WHOIS parser
  // reads RPSL "address:" lines) and keep their order.
  void ReadLabel(std::string_view label) {
    std::vector<std::string_view> lines = LabelLines(label);
    const size_t n = lines.size();
    if (n >= 5 && IsRegionCode(lines[n - 3])) {
      for (size_t i = 0; i + 4 < n; ++i) Add(CF::kStreet, lines[i]);
      Add(CF::kCity, lines[n - 4]);
      Add(CF::kState, lines[n - 3]);
      Add(CF::kPcode, lines[n - 2]);
      Add(CF::kCountry, lines[n - 1]);
      return;
    }
    for (std::string_view line : lines) Add(CF::kStreet, line);
  }

  EntityValues& out_;
};

// Dates of an object's events, as the WHOIS parser keeps them: the first
// registration and expiration, the latest "last changed".
struct EventDates {
  std::string created, changed, expires;
};

EventDates ReadEvents(const Json& object, DateOrder order) {
  EventDates d;
  for (const Json& e : ArrayMember(object, "events")) {
    const std::string action = schema::AsciiLower(Trim(StringMember(e, "eventAction")));
    std::string_view raw = StringMember(e, "eventDate");
    if (raw.empty() || raw.size() > 64) continue;
    std::string date = NormalizeDate(raw, order);
    if (date.empty()) continue;
    if (action == "registration") {
      if (d.created.empty()) d.created = std::move(date);
    } else if (action == "expiration") {
      if (d.expires.empty()) d.expires = std::move(date);
    } else if (action == "last changed") {
      if (date > d.changed) d.changed = std::move(date);
    }
  }
  return d;
}

EntityValues ReadEntity(const Json& entity, DateOrder order) {
  EntityValues e;
  if (const Json* vcard = Member(entity, "vcardArray")) VcardReader(e).Read(*vcard);
  e.handle = Trim(StringMember(entity, "handle"));
  if (!e.handle.empty() && e.handle != "-") e.values.push_back({CF::kHandle, Clip(e.handle)});
  EventDates dates = ReadEvents(entity, order);
  if (!dates.created.empty()) e.values.push_back({CF::kCreated, dates.created});
  if (!dates.changed.empty()) e.values.push_back({CF::kChanged, dates.changed});
  return e;
}

Role RoleFromRdap(std::string_view role) {
  static constexpr std::pair<std::string_view, Role> kRoles[] = {
      {"registrant", Role::kOwner}, {"administrative", Role::kAdmin},
      {"technical", Role::kTech},   {"billing", Role::kBilling},
      {"abuse", Role::kAbuse}};
  for (const auto& [name, r] : kRoles) {
    if (schema::EqualsIgnoreCase(Trim(role), name)) return r;
  }
  return Role::kNone;
}

// Writes an entity into the contact of `role`, through the WHOIS builder so
// that both protocols share the rules (first value wins, privacy notices go
// to Contact::redacted). An organization's name (jCard kind "org" without an
// "org" property) is also its organization, as WHOIS "OrgName" is.
void ApplyEntity(RecordBuilder& b, Role role, const EntityValues& e) {
  for (const ContactValue& v : e.values) {
    b.SetContact(role, v.field, v.value);
    if (v.field == CF::kName && e.is_org && !e.has_org) {
      b.SetContact(role, CF::kOrganization, v.value);
    }
  }
}

bool HasRole(const Json& entity, std::string_view want) {
  for (const Json& r : ArrayMember(entity, "roles")) {
    if (schema::EqualsIgnoreCase(Trim(String(&r)), want)) return true;
  }
  return false;
}

// ---- the object ----

Kind KindOf(const Json& o, std::string_view url) {
  const std::string name = schema::AsciiLower(Trim(StringMember(o, "objectClassName")));
  if (name == "domain") return Kind::kDomain;
  if (name == "ip network") return Kind::kIp;
  if (name == "autnum") return Kind::kAutnum;
  if (name == "entity") return Kind::kEntity;
  if (name == "nameserver") return Kind::kNameserver;
  if (!Member(o, "errorCode")) {
    // Older servers omit objectClassName (RIPE's before 2015): the members say.
    if (Member(o, "startAddress") || Member(o, "endAddress") || Member(o, "ipVersion")) {
      return Kind::kIp;
    }
    if (Member(o, "startAutnum") || Member(o, "endAutnum")) return Kind::kAutnum;
    if (Member(o, "ldhName") || Member(o, "unicodeName")) {
      return Member(o, "ipAddresses") ? Kind::kNameserver : Kind::kDomain;
    }
    if (Member(o, "vcardArray")) return Kind::kEntity;
  }
  // An error object or an unknown body: the path asked says what was looked up.
  const std::string lower = schema::AsciiLower(url.substr(0, std::min<size_t>(url.size(), 2048)));
  static constexpr std::pair<std::string_view, Kind> kPaths[] = {
      {"/domain/", Kind::kDomain},   {"/ip/", Kind::kIp},
      {"/autnum/", Kind::kAutnum},   {"/entity/", Kind::kEntity},
      {"/nameserver/", Kind::kNameserver}};
  for (const auto& [path, kind] : kPaths) {
    if (Contains(lower, path)) return kind;
  }
  return Kind::kUnknown;
}

const char* TypeName(Kind kind) {
  switch (kind) {
    case Kind::kDomain:
      return "domain";
    case Kind::kIp:
      return "ip";
    case Kind::kAutnum:
      return "AS";
    case Kind::kEntity:
      return "entity";
    case Kind::kNameserver:
      return "nameserver";
    case Kind::kUnknown:
      break;
  }
  return "";
}

// A name server's host (lower case, no final dot) -> its first IPv4 address,
// else its first IPv6 address, else "".
void AddNameserver(const Json& ns, schema::Domain& d) {
  std::string_view host = Trim(StringMember(ns, "ldhName"));
  if (host.empty()) host = Trim(StringMember(ns, "unicodeName"));
  while (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (!LooksLikeHostName(host) || d.nserver.size() >= kMaxListItems) return;
  std::string ip;
  if (const Json* addresses = Member(ns, "ipAddresses")) {
    for (const char* family : {"v4", "v6"}) {
      for (const Json& a : ArrayMember(*addresses, family)) {
        std::string_view s = Trim(String(&a));
        if (!s.empty() && s.size() <= 64) {
          ip = std::string(s);
          break;
        }
      }
      if (!ip.empty()) break;
    }
  }
  auto [it, inserted] = d.nserver.emplace(schema::AsciiLower(host), ip);
  if (!inserted && it->second.empty()) it->second = ip;
}

// Remark lines that are the object's description: RPSL "descr:" (RIPE, APNIC
// and LACNIC write them as untitled remarks or remarks titled
// "description"). Other remarks (RPSL "remarks:", ARIN's "Registration
// Comments") are not desc in the WHOIS parser either; they stay in rawdata.
void ReadDescription(const Json& object, std::vector<std::string>& desc) {
  for (const Json& remark : ArrayMember(object, "remarks")) {
    std::string_view title = Trim(StringMember(remark, "title"));
    if (!title.empty() && !schema::EqualsIgnoreCase(title, "description")) continue;
    for (const Json& line : ArrayMember(remark, "description")) {
      std::string_view s = CleanLine(String(&line));
      if (!s.empty() && desc.size() < kMaxListItems) desc.push_back(Clip(s));
    }
  }
}

// "a - b" as the WHOIS parser writes inetnum. An old RIPE server appends
// "/32" to both addresses; that is not a prefix length of the range.
std::string Inetnum(const Json& o) {
  auto address = [&](const char* key) {
    std::string_view a = Trim(StringMember(o, key));
    if (a.size() > 64) return std::string_view();
    if (size_t slash = a.find('/'); slash != std::string_view::npos) a = a.substr(0, slash);
    return a;
  };
  std::string_view start = address("startAddress"), end = address("endAddress");
  if (!start.empty() && !end.empty()) return std::string(start) + " - " + std::string(end);
  if (!start.empty()) return std::string(start);
  // No range: the cidr0 extension's prefixes, as WHOIS "CIDR:" when no range.
  std::string cidrs;
  for (const Json& c : ArrayMember(o, "cidr0_cidrs")) {
    std::string_view prefix = StringMember(c, "v4prefix");
    if (prefix.empty()) prefix = StringMember(c, "v6prefix");
    const int64_t length = Number(Member(c, "length"));
    if (prefix.empty() || prefix.size() > 64 || length < 0 || length > 128) continue;
    if (!cidrs.empty()) cidrs += ", ";
    cidrs += std::string(prefix) + "/" + std::to_string(length);
    if (cidrs.size() > kMaxValueLength) break;
  }
  return cidrs;
}

std::string AsRange(const Json& o) {
  const int64_t start = Number(Member(o, "startAutnum"));
  const int64_t end = Number(Member(o, "endAutnum"));
  if (start < 0) return "";
  if (end < 0 || end == start) return "AS" + std::to_string(start);
  return "AS" + std::to_string(start) + " - AS" + std::to_string(end);
}

// The members IP networks and autnums share.
void ReadNetwork(const Json& o, schema::Network& n, const std::string& port43, DateOrder order) {
  n.name = Clip(StringMember(o, "name"));
  n.handle = Clip(StringMember(o, "handle"));
  n.country = Clip(StringMember(o, "country"));
  // The RIR's allocation type is what WHOIS calls status ("ASSIGNED PA",
  // ARIN "NetType"); RDAP's status ("active") only when there is no type.
  n.status = Clip(StringMember(o, "type"));
  if (n.status.empty()) {
    for (const Json& s : ArrayMember(o, "status")) {
      n.status = Clip(String(&s));
      if (!n.status.empty()) break;
    }
  }
  EventDates dates = ReadEvents(o, order);
  n.created = dates.created;
  n.changed = dates.changed;
  ReadDescription(o, n.desc);
  n.source = port43;
}

// Maps one parsed body into one RdapResult; one per ParseRdap() call.
class RdapMapper {
 public:
  RdapMapper(const Json& root, const RdapOptions& options, RdapResult& out)
      : root_(root),
        options_(options),
        out_(out),
        g_(out.record.regrinfo),
        rule_(FindServerRule(options.server)),
        builder_(g_, rule_) {}

  void Run() {
    const Kind kind = KindOf(root_, options_.url);
    out_.record.regyinfo.type = TypeName(kind);
    out_.port43 = schema::AsciiLower(Clip(StringMember(root_, "port43"), 253));
    out_.related_url = RelatedUrl();
    const int64_t error_code = Number(Member(root_, "errorCode"));
    const bool is_error = error_code >= 0 || options_.http_status >= 400;
    if (!is_error) {
      ReadObject(kind);
      ReadEntities(kind);
      ApplyRedactions();
    }
    g_.disclaimer = Disclaimer();
    Decide(kind, error_code, is_error);
  }

 private:
  void ReadObject(Kind kind) {
    switch (kind) {
      case Kind::kDomain:
        ReadDomain();
        break;
      case Kind::kIp:
        ReadNetwork(root_, g_.network, out_.port43, rule_.date_order);
        g_.network.inetnum = Clip(Inetnum(root_));
        break;
      case Kind::kAutnum:
        ReadNetwork(root_, g_.as, out_.port43, rule_.date_order);
        g_.as.inetnum = AsRange(root_);
        break;
      case Kind::kEntity:
        // The entity looked up is the record's owner; its entities its contacts.
        ApplyEntity(builder_, Role::kOwner, ReadEntity(root_, rule_.date_order));
        break;
      case Kind::kNameserver:
        ReadNameserver();
        break;
      case Kind::kUnknown:
        break;
    }
  }

  void ReadDomain() {
    std::string_view name = StringMember(root_, "ldhName");
    if (Trim(name).empty()) name = StringMember(root_, "unicodeName");
    builder_.SetDomain(DF::kName, Clip(name, 253));
    ReadDomainObject();
    for (const Json& ns : ArrayMember(root_, "nameservers")) AddNameserver(ns, g_.domain);
    // The WHOIS words for the same thing (ICANN "DNSSEC: signedDelegation" / "unsigned").
    if (const Json* secure = Member(root_, "secureDNS")) {
      const Json* flag = Member(*secure, "delegationSigned");
      if (flag != nullptr && flag->is_boolean()) {
        g_.domain.dnssec = flag->get<bool>() ? "signedDelegation" : "unsigned";
      } else if (!ArrayMember(*secure, "dsData").empty() ||
                 !ArrayMember(*secure, "keyData").empty()) {
        g_.domain.dnssec = "signedDelegation";
      }
    }
    ReadDescription(root_, g_.domain.desc);
  }

  // A name server answer: the host (and address) in nserver, the rest as for a domain.
  void ReadNameserver() {
    AddNameserver(root_, g_.domain);
    ReadDomainObject();
  }

  // What domain and name server objects share: handle, status, dates, source.
  void ReadDomainObject() {
    builder_.SetDomain(DF::kHandle, Clip(StringMember(root_, "handle")));
    for (const Json& s : ArrayMember(root_, "status")) {
      std::string_view v = String(&s);
      if (!Trim(v).empty()) builder_.SetDomain(DF::kStatus, Clip(v));
    }
    EventDates dates = ReadEvents(root_, rule_.date_order);
    g_.domain.created = std::move(dates.created);
    g_.domain.changed = std::move(dates.changed);
    g_.domain.expires = std::move(dates.expires);
    g_.domain.source = out_.port43;
  }

  // The registrar entity: its name is the sponsor (its handle when it has no
  // jCard, as .cz WHOIS names the registrar by handle), its IANA id the
  // registrar id, its jCard URL the referer.
  void ReadRegistrar(const Json& entity, const EntityValues& e) {
    for (const ContactValue& v : e.values) {
      if (v.field == CF::kName || v.field == CF::kOrganization) {
        if (builder_.SetDomain(DF::kSponsor, v.value)) break;
      }
    }
    if (g_.domain.sponsor.empty()) builder_.SetDomain(DF::kSponsor, Clip(e.handle));
    for (const Json& id : ArrayMember(entity, "publicIds")) {
      if (!schema::EqualsIgnoreCase(Trim(StringMember(id, "type")), "IANA Registrar ID")) continue;
      const Json* identifier = Member(id, "identifier");
      std::string value = Clip(String(identifier), 64);
      if (identifier != nullptr && identifier->is_number_integer() && Number(identifier) >= 0) {
        value = std::to_string(Number(identifier));
      }
      if (builder_.SetDomain(DF::kRegistrarId, value)) break;
    }
    if (!e.url.empty()) builder_.SetDomain(DF::kReferer, e.url);
  }

  // Entities, breadth first: the top level's roles first, then nested
  // entities fill the roles still empty (ARIN nests an organization's
  // contacts inside it). Below a registrar only its abuse contact counts:
  // the registrar's own admin or tech contact is not the domain's.
  void ReadEntities(Kind kind) {
    struct Pending {
      const Json* entity;
      bool top;
      bool under_registrar;
    };
    std::deque<Pending> queue;
    for (const Json& e : ArrayMember(root_, "entities")) {
      if (queue.size() < kMaxEntities) queue.push_back({&e, true, false});
    }
    std::array<bool, kRoleCount> claimed{};
    claimed[static_cast<int>(Role::kOwner)] = kind == Kind::kEntity;  // the object itself
    const bool network = kind == Kind::kIp || kind == Kind::kAutnum;
    schema::Network& net = kind == Kind::kAutnum ? g_.as : g_.network;
    bool registrar_seen = false;
    std::optional<EntityValues> unroled_org;
    size_t visited = 0;
    while (!queue.empty()) {
      const Pending p = queue.front();
      queue.pop_front();
      ++visited;
      if (!p.entity->is_object()) continue;
      const Json& entity = *p.entity;
      const EntityValues values = ReadEntity(entity, rule_.date_order);
      const bool registrar = HasRole(entity, "registrar");
      if (registrar && !registrar_seen && (kind == Kind::kDomain || kind == Kind::kNameserver)) {
        registrar_seen = true;
        ReadRegistrar(entity, values);
      }
      const std::span<const Json> roles = ArrayMember(entity, "roles");
      for (const Json& r : roles) {
        const Role role = RoleFromRdap(String(&r));
        if (role == Role::kNone) continue;
        if (p.under_registrar && role != Role::kAbuse) continue;
        // RIPE lists the maintainers (mnt-by) as registrants.
        if (network && role == Role::kOwner && values.handle.size() > 4 &&
            schema::EqualsIgnoreCase(values.handle.substr(values.handle.size() - 4), "-MNT")) {
          if (p.top && net.mnt_by.size() < kMaxListItems) net.mnt_by.push_back(Clip(values.handle));
          continue;
        }
        bool& taken = claimed[static_cast<int>(role)];
        if (taken) continue;
        taken = true;
        ApplyEntity(builder_, role, values);
      }
      // AFRINIC's older server gives no roles: an organization attached to
      // the object is its holder, when no registrant is named.
      if (roles.empty() && p.top && values.is_org && !unroled_org) unroled_org = values;
      for (const Json& child : ArrayMember(entity, "entities")) {
        if (queue.size() + visited >= kMaxEntities) break;
        queue.push_back({&child, false, p.under_registrar || registrar});
      }
    }
    if (!claimed[static_cast<int>(Role::kOwner)] && unroled_org) {
      ApplyEntity(builder_, Role::kOwner, *unroled_org);
    }
  }

  // ---- RFC 9537 redaction ----

  struct RedactionTarget {
    Role role = Role::kNone;
    CF field = CF::kNone;
    bool whole_address = false;
  };

  // "Registrant Name", "Tech Email", "Registry Registrant ID" (the ICANN
  // profile's redaction names); extensions ("Phone Ext") are not fields.
  static RedactionTarget TargetFromName(std::string_view text) {
    RedactionTarget t;
    const std::string s = schema::AsciiLower(text.substr(0, std::min<size_t>(text.size(), 256)));
    t.role = RoleInText(s);
    if (Contains(s, " ext")) {
      t.field = CF::kIgnore;  // named, and no field of the record: no path guessing
      return t;
    }
    static constexpr std::pair<std::string_view, CF> kFields[] = {
        {"organi", CF::kOrganization}, {"street", CF::kStreet}, {"city", CF::kCity},
        {"state", CF::kState},         {"province", CF::kState}, {"postal", CF::kPcode},
        {"country", CF::kCountry},     {"fax", CF::kFax},       {"phone", CF::kPhone},
        {"mail", CF::kEmail},          {"name", CF::kName},     {"handle", CF::kHandle}};
    for (const auto& [word, field] : kFields) {
      if (Contains(s, word)) {
        t.field = field;
        return t;
      }
    }
    if (s.ends_with(" id")) t.field = CF::kHandle;
    return t;
  }

  static Role RoleInText(std::string_view lower) {
    static constexpr std::pair<std::string_view, Role> kWords[] = {
        {"registrant", Role::kOwner}, {"admin", Role::kAdmin}, {"tech", Role::kTech},
        {"billing", Role::kBilling},  {"abuse", Role::kAbuse}};
    for (const auto& [word, role] : kWords) {
      if (Contains(lower, word)) return role;
    }
    return Role::kNone;
  }

  // A JSONPath such as
  // $.entities[?(@.roles[0]=='registrant')].vcardArray[1][?(@[0]=='adr')][3][2]
  static RedactionTarget TargetFromPath(std::string_view path) {
    RedactionTarget t;
    std::string s;
    for (char c : path.substr(0, std::min<size_t>(path.size(), 1024))) {
      if (c != '\'' && c != '"' && c != ' ') s.push_back(schema::AsciiLower(c));
    }
    t.role = RoleInText(s);
    static constexpr std::pair<std::string_view, CF> kProperties[] = {
        {"==fn)", CF::kName}, {"==org)", CF::kOrganization}, {"==email)", CF::kEmail},
        {"==tel)", CF::kPhone}};
    for (const auto& [needle, field] : kProperties) {
      if (Contains(s, needle)) t.field = field;
    }
    if (t.field == CF::kPhone && Contains(s, "fax")) t.field = CF::kFax;
    if (size_t adr = s.find("==adr)"); adr != std::string::npos) {
      static constexpr CF kParts[] = {CF::kStreet, CF::kStreet, CF::kStreet, CF::kCity,
                                      CF::kState,  CF::kPcode,  CF::kCountry};
      size_t part = s.find("[3][", adr);
      if (part != std::string::npos && part + 4 < s.size() && s[part + 4] >= '0' &&
          s[part + 4] <= '6') {
        t.field = kParts[s[part + 4] - '0'];
      } else {
        t.field = CF::kStreet;
        t.whole_address = true;
      }
    }
    if (t.field == CF::kNone && s.ends_with(".handle")) t.field = CF::kHandle;
    return t;
  }

  static void Redact(schema::Contact& c, CF field) {
    auto list = [&c](CF f) {
      std::string name = ContactFieldName(f);
      if (std::find(c.redacted.begin(), c.redacted.end(), name) == c.redacted.end()) {
        c.redacted.push_back(std::move(name));
      }
    };
    switch (field) {
      case CF::kName: c.name.clear(); break;
      case CF::kOrganization: c.organization.clear(); break;
      case CF::kEmail: c.email.clear(); break;
      case CF::kPhone: c.phone.clear(); break;
      case CF::kFax: c.fax.clear(); break;
      case CF::kHandle: c.handle.clear(); break;
      case CF::kStreet: c.address.street.clear(); break;
      case CF::kCity: c.address.city.clear(); break;
      case CF::kState: c.address.state.clear(); break;
      case CF::kPcode: c.address.pcode.clear(); break;
      case CF::kCountry: c.address.country.clear(); break;
      default: return;
    }
    list(field);
  }

  // RFC 9537 "redacted": each entry names a field (name.type or
  // name.description) and where it was (prePath, postPath, replacementPath).
  // Whatever the method, the field stays empty and is listed as redacted.
  void ApplyRedactions() {
    size_t seen = 0;
    for (const Json& item : ArrayMember(root_, "redacted")) {
      if (++seen > kMaxListItems) break;
      RedactionTarget t;
      if (const Json* name = Member(item, "name")) {
        std::string_view text = StringMember(*name, "type");
        if (text.empty()) text = StringMember(*name, "description");
        t = TargetFromName(text);
      }
      std::string_view lang = Trim(StringMember(item, "pathLang"));
      if ((t.role == Role::kNone || t.field == CF::kNone) &&
          (lang.empty() || schema::EqualsIgnoreCase(lang, "jsonpath"))) {
        for (const char* key : {"prePath", "postPath", "replacementPath"}) {
          RedactionTarget p = TargetFromPath(StringMember(item, key));
          if (t.role == Role::kNone) t.role = p.role;
          if (t.field == CF::kNone) {
            t.field = p.field;
            t.whole_address = p.whole_address;
          }
        }
      }
      schema::Contact* c = builder_.ContactFor(t.role);
      if (c == nullptr || t.field == CF::kNone || t.field == CF::kIgnore) continue;
      if (t.whole_address) {
        for (CF f : {CF::kStreet, CF::kCity, CF::kState, CF::kPcode, CF::kCountry}) Redact(*c, f);
      } else {
        Redact(*c, t.field);
      }
    }
  }

  // ---- links, notices, the decision ----

  // The registrar's RDAP URL: a "related" link to RDAP JSON (or, untyped, to
  // a /domain/ path), http(s), not the object itself.
  std::string RelatedUrl() const {
    std::span<const Json> links = ArrayMember(root_, "links");
    std::string_view self;
    for (const Json& l : links) {
      if (schema::EqualsIgnoreCase(Trim(StringMember(l, "rel")), "self")) {
        self = Trim(StringMember(l, "href"));
        break;
      }
    }
    for (const Json& l : links) {
      if (!schema::EqualsIgnoreCase(Trim(StringMember(l, "rel")), "related")) continue;
      std::string_view href = Trim(StringMember(l, "href"));
      if (href.size() > 2048 ||
          !(schema::StartsWithIgnoreCase(href, "https://") ||
            schema::StartsWithIgnoreCase(href, "http://")) ||
          std::any_of(href.begin(), href.end(),
                      [](char c) { return static_cast<unsigned char>(c) <= 0x20; })) {
        continue;
      }
      std::string_view type = StringMember(l, "type");
      type = Trim(type.substr(0, type.find(';')));
      const bool rdap = schema::EqualsIgnoreCase(type, "application/rdap+json") ||
                        (type.empty() && Contains(schema::AsciiLower(href), "/domain/"));
      if (!rdap || schema::EqualsIgnoreCase(href, self) ||
          schema::EqualsIgnoreCase(href, Trim(options_.url))) {
        continue;
      }
      return std::string(href);
    }
    return "";
  }

  // The terms-of-use notice (titled "Terms ...", "... Conditions" or
  // "Disclaimer"; else the first notice): its description lines joined, blank
  // runs folded to one space, cut at kMaxDisclaimer bytes.
  std::string Disclaimer() const {
    std::span<const Json> notices = ArrayMember(root_, "notices");
    const Json* chosen = nullptr;
    for (const Json& n : notices) {
      const std::string title = schema::AsciiLower(StringMember(n, "title"));
      if (Contains(title, "terms") || Contains(title, "conditions") ||
          Contains(title, "disclaimer")) {
        chosen = &n;
        break;
      }
    }
    if (chosen == nullptr && !notices.empty()) chosen = &notices[0];
    if (chosen == nullptr) return "";
    std::string out;
    for (const Json& line : ArrayMember(*chosen, "description")) {
      for (char c : String(&line)) {
        const bool blank = c == ' ' || c == '\n' || c == '\r' || c == '\t';
        if (blank) {
          if (!out.empty() && out.back() != ' ') out.push_back(' ');
        } else {
          out.push_back(c);
        }
        if (out.size() > kMaxDisclaimer) break;
      }
      if (out.size() > kMaxDisclaimer) break;
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    }
    return Clip(out, kMaxDisclaimer);
  }

  // A rate-limit text: a title naming a rate limit ("Rate Limit Notice"), or
  // the WHOIS refusal phrases ("%ERROR:201: access denied", "rate limit
  // exceeded", "too many requests", ...) in a title or description. The
  // object's own title and description (an error object's) are read; of the
  // notices and remarks only the titles when the answer carries an object,
  // since a policy text in an ordinary notice is not a refusal.
  bool SaysThrottled(bool has_object) const {
    std::string titles, texts;
    auto append = [](std::string& to, std::string_view s) {
      if (s.empty() || to.size() + s.size() + 1 > kMaxThrottleText) return;
      to.append(s);
      to.push_back('\n');
    };
    auto add = [&](const Json& o, bool with_description) {
      append(titles, StringMember(o, "title"));
      if (!with_description) return;
      for (const Json& line : ArrayMember(o, "description")) append(texts, String(&line));
    };
    add(root_, true);
    for (const char* key : {"notices", "remarks"}) {
      for (const Json& n : ArrayMember(root_, key)) add(n, !has_object);
    }
    if (Contains(schema::AsciiLower(titles), "rate limit")) return true;
    texts += titles;
    return !texts.empty() && ClassifyAnswer(texts, rule_) == AnswerKind::kThrottled;
  }

  void Decide(Kind kind, int64_t error_code, bool is_error) {
    const bool has_object = kind != Kind::kUnknown && !is_error;
    if (options_.http_status == 429 || error_code == 429 || SaysThrottled(has_object)) {
      out_.record.throttled = true;
    }
    if (options_.http_status == 404 || error_code == 404) {
      g_.registered = "no";
    } else if (has_object) {
      g_.registered = "yes";
    }
  }

  const Json& root_;
  const RdapOptions& options_;
  RdapResult& out_;
  schema::RegrInfo& g_;
  const ServerRule& rule_;
  RecordBuilder builder_;
};

// False when arrays and objects nest deeper than `max_depth` (checked before
// parsing, so that no deep tree is ever built).
bool NestingWithin(std::string_view body, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}

RdapResult EmptyResult(std::string_view body) {
  RdapResult result;
  result.record.protocol = "rdap";
  if (IsValidUtf8(body)) {
    result.record.rawdata = schema::SplitLines(body);
  } else {
    result.record.rawdata = schema::SplitLines(DecodeToUtf8(body, Charset::kLatin1));
  }
  return result;
}

schema::Result<RdapResult> ParseImpl(std::string_view body, const RdapOptions& options) {
  // 404 and 429 are answers whatever the body (RFC 7480 5.3, 5.5): the body
  // is optional and often HTML.
  const bool status_says = options.http_status == 404 || options.http_status == 429;
  std::string problem;
  Json root;
  if (!NestingWithin(body, kMaxDepth)) {
    problem = "RDAP body nests deeper than " + std::to_string(kMaxDepth) + " levels";
  } else {
    root = Json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
    if (root.is_discarded()) {
      problem = "RDAP body is not JSON";
    } else if (!root.is_object()) {
      problem = "RDAP body is not a JSON object";
    }
  }
  if (!problem.empty()) {
    if (!status_says) return schema::Status(schema::ErrorCode::kMalformed, problem);
    root = Json::object();
  }
  RdapResult result = EmptyResult(body);
  RdapMapper(root, options, result).Run();
  return result;
}

}  // namespace

schema::Result<RdapResult> ParseRdap(std::string_view body, const RdapOptions& options) {
  try {
    return ParseImpl(body, options);
  } catch (const std::exception& e) {
    // Accessors check types first; only allocation failure should get here.
    return schema::Status(schema::ErrorCode::kMalformed,
                          std::string("RDAP body could not be mapped: ") + e.what());
  }
}

}  // namespace whoisq::parse
