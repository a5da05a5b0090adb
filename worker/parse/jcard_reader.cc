#include "worker/parse/jcard_reader.h"

#include <algorithm>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "schema/ascii.h"
#include "worker/parse/line_scanner.h"
#include "worker/parse/rdap_json.h"

namespace whoisq::parse {
namespace {

using internal::Clip;
using internal::Elements;
using internal::Json;
using internal::kMaxListItems;
using internal::kMaxValueLength;
using internal::Member;
using internal::String;
using internal::StringMember;
using CF = ContactField;

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

// A string, or the non-empty strings of a list joined.
std::string Joined(const Json& value, std::string_view separator) {
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
std::string TelNumber(std::string_view v) {
  v = Trim(v);
  if (schema::StartsWithIgnoreCase(v, "tel:")) {
    v.remove_prefix(4);
    v = v.substr(0, v.find(';'));
  }
  return Clip(v);
}

}  // namespace

void JcardReader::Read(const Json& vcard_array) {
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

void JcardReader::Add(CF field, std::string_view value) {
  value = Trim(value);
  // "-" is a placeholder for nothing (LACNIC), neither a value nor a notice.
  if (value.empty() || value == "-") return;
  out_.values.push_back({field, Clip(value)});
}

// One "adr" property: the 7 structured parts (post office box, extended,
// street, locality, region, postal code, country name), else the "label"
// parameter. The "cc" parameter (RFC 8605) wins over the country name.
// Returns true when it gave anything.
bool JcardReader::ReadAddress(const Json& params, const Json& value) {
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
void JcardReader::ReadLabel(std::string_view label) {
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

}  // namespace whoisq::parse
