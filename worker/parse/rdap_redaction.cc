#include "worker/parse/rdap_redaction.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "schema/ascii.h"
#include "schema/record.h"
#include "worker/parse/field_aliases.h"
#include "worker/parse/line_scanner.h"
#include "worker/parse/rdap_json.h"

namespace whoisq::parse {
namespace {

using internal::ArrayMember;
using internal::Json;
using internal::kMaxListItems;
using internal::Member;
using internal::StringMember;
using CF = ContactField;

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// What one "redacted" entry names; whole_address: the whole "adr" property.
struct RedactionTarget {
  Role role = Role::kNone;
  CF field = CF::kNone;
  bool whole_address = false;
};

// The role a redaction name or path names ("registrant", "tech", ...).
Role RoleInText(std::string_view lower) {
  static constexpr std::pair<std::string_view, Role> kWords[] = {
      {"registrant", Role::kOwner}, {"admin", Role::kAdmin}, {"tech", Role::kTech},
      {"billing", Role::kBilling},  {"abuse", Role::kAbuse}};
  for (const auto& [word, role] : kWords) {
    if (Contains(lower, word)) return role;
  }
  return Role::kNone;
}

// "Registrant Name", "Tech Email", "Registry Registrant ID" (the ICANN
// profile's redaction names); extensions ("Phone Ext") are not fields.
RedactionTarget TargetFromName(std::string_view text) {
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

// A JSONPath such as
// $.entities[?(@.roles[0]=='registrant')].vcardArray[1][?(@[0]=='adr')][3][2]
RedactionTarget TargetFromPath(std::string_view path) {
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

void Redact(schema::Contact& c, CF field) {
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

}  // namespace

// RFC 9537 "redacted": each entry names a field (name.type or
// name.description) and where it was (prePath, postPath, replacementPath).
// Whatever the method, the field stays empty and is listed as redacted.
void ApplyRdapRedactions(const Json& root, RecordBuilder& builder) {
  size_t seen = 0;
  for (const Json& item : ArrayMember(root, "redacted")) {
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
    schema::Contact* c = builder.ContactFor(t.role);
    if (c == nullptr || t.field == CF::kNone || t.field == CF::kIgnore) continue;
    if (t.whole_address) {
      for (CF f : {CF::kStreet, CF::kCity, CF::kState, CF::kPcode, CF::kCountry}) Redact(*c, f);
    } else {
      Redact(*c, t.field);
    }
  }
}

}  // namespace whoisq::parse
