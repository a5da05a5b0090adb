// Reads an RDAP JSON body without exceptions and within bounds: a member of
// the wrong type reads as absent, an array as its first kMaxScan elements, a
// stored value is trimmed and capped. Private to the RDAP mapping (rdap.cc,
// jcard_reader.cc, rdap_redaction.cc); in `internal` because the names are generic.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "worker/parse/line_scanner.h"

namespace whoisq::parse::internal {

using Json = nlohmann::json;

// Bounds against hostile bodies. Lists the record keeps are capped as the
// WHOIS parser caps them (RecordBuilder: 64 items, 4 KB per value).
constexpr size_t kMaxScan = 1024;         // elements read from any one JSON array
constexpr size_t kMaxListItems = 64;      // name servers, statuses, desc lines, mnt-by
constexpr size_t kMaxValueLength = 4096;  // bytes per stored value

// `object[key]`, or nullptr when `object` is not an object or has no `key`.
inline const Json* Member(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

// The string `value` holds; "" when it is null or not a string. The view
// points into `*value`.
inline std::string_view String(const Json* value) {
  if (value == nullptr || !value->is_string()) return {};
  return value->get_ref<const std::string&>();
}

inline std::string_view StringMember(const Json& object, const char* key) {
  return String(Member(object, key));
}

// The first kMaxScan elements of an array; none when `value` is not an array.
inline std::span<const Json> Elements(const Json* value) {
  if (value == nullptr || !value->is_array()) return {};
  const auto& a = value->get_ref<const Json::array_t&>();
  return {a.data(), std::min(a.size(), kMaxScan)};
}

inline std::span<const Json> ArrayMember(const Json& object, const char* key) {
  return Elements(Member(object, key));
}

// Trims and cuts at `max` bytes without splitting a UTF-8 sequence.
inline std::string Clip(std::string_view v, size_t max = kMaxValueLength) {
  v = Trim(v);
  if (v.size() > max) {
    size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(v[cut]) & 0xC0) == 0x80) --cut;
    v = v.substr(0, cut);
  }
  return std::string(v);
}

}  // namespace whoisq::parse::internal
