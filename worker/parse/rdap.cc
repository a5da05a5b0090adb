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
#include "worker/parse/jcard_reader.h"
#include "worker/parse/line_scanner.h"
#include "worker/parse/rdap_json.h"
#include "worker/parse/rdap_redaction.h"
#include "worker/parse/record_builder.h"
#include "worker/parse/server_rules.h"
#include "worker/parse/text_decoder.h"

namespace whoisq::parse {
namespace {

using internal::ArrayMember;
using internal::Clip;
using internal::Json;
using internal::kMaxListItems;
using internal::kMaxValueLength;
using internal::Member;
using internal::String;
using internal::StringMember;
using CF = ContactField;
using DF = DomainField;

// Bounds against hostile bodies, with those of rdap_json.h.
constexpr int kMaxDepth = 64;             // nesting of JSON arrays and objects
constexpr size_t kMaxEntities = 256;      // entities visited, all nesting levels together
constexpr size_t kMaxDisclaimer = 1024;   // bytes; the whole notice stays in rawdata
constexpr size_t kMaxThrottleText = 65536;  // bytes of notice text scanned for refusals

enum class Kind { kUnknown, kDomain, kIp, kAutnum, kEntity, kNameserver };

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

// ---- entities ----

// What one entity says about itself: its jCard, handle and dates.
struct EntityValues : JcardValues {
  std::string_view handle;
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
  if (const Json* vcard = Member(entity, "vcardArray")) JcardReader(e).Read(*vcard);
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
      ApplyRdapRedactions(root_, builder_);
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
