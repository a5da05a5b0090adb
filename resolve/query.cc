// Normalize(): validation first, then structure (URL / host / address / AS),
// then the name pipeline (IDNA, labels, public suffix). Rules and the reasons
// for them are in docs/resolve.md.
#include "resolve/query.h"

#include <arpa/inet.h>
#include <idn2.h>
#include <netinet/in.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "resolve/public_suffix.h"
#include "resolve/server_table.h"

namespace whoisq::resolve {
namespace {

using schema::ErrorCode;
using schema::Result;

// Longest input accepted at all (a crawler's URL with a long query string
// fits); bounds the work done on hostile input.
constexpr size_t kMaxInputBytes = 16 * 1024;
constexpr size_t kMaxLabelBytes = 63;   // RFC 1035 2.3.4, A-label form
constexpr size_t kMaxNameBytes = 253;   // RFC 1035 presentation form without the root dot
constexpr uint64_t kMaxAsNumber = 4294967295u;  // RFC 6793: 32-bit AS numbers
constexpr int kIdnaFlags = IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL;

// ---------------------------------------------------------------- messages

// The input as a message can show it: printable ASCII kept, every other byte
// as \xNN, cut at 80 bytes, so errors never echo control bytes into logs.
std::string Printable(std::string_view s) {
  constexpr size_t kMaxShown = 80;
  std::string out;
  for (size_t i = 0; i < s.size() && i < kMaxShown; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7F && c != '\\' && c != '"') {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  if (s.size() > kMaxShown) out += "...";
  return out;
}

Result<Query> Refuse(std::string_view input, const std::string& reason) {
  return Result<Query>(ErrorCode::kInvalidQuery,
                       "invalid query \"" + Printable(input) + "\": " + reason);
}

std::string Hex(uint32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

// ---------------------------------------------------------------- bytes

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

std::string_view TrimAscii(std::string_view s) {
  while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Code points refused anywhere in the input: C1 controls, Unicode spaces, and
// invisible format characters that UTS #46 would silently delete (U+200B,
// U+00AD, ...) or that reorder text (bidi controls). "ex<U+200B>ample.com"
// must not quietly become example.com. ZWNJ/ZWJ (U+200C/D) stay: IDNA2008
// allows them in context (Persian, Indic scripts) and libidn2 checks that.
bool IsRefusedCodePoint(uint32_t c) {
  if (c >= 0x80 && c <= 0x9F) return true;  // C1 controls
  if (c >= 0x2000 && c <= 0x200B) return true;
  if (c >= 0x200E && c <= 0x200F) return true;
  if (c >= 0x2028 && c <= 0x202F) return true;
  if (c >= 0x205F && c <= 0x206F) return true;
  if (c >= 0x180B && c <= 0x180F) return true;
  if (c >= 0xFE00 && c <= 0xFE0F) return true;  // variation selectors
  if (c >= 0xFFF0 && c <= 0xFFFB) return true;
  if (c >= 0xE0000 && c <= 0xE0FFF) return true;  // tags, variation selectors supplement
  switch (c) {
    case 0x00A0: case 0x00AD: case 0x034F: case 0x061C: case 0x115F: case 0x1160:
    case 0x1680: case 0x3000: case 0x3164: case 0xFEFF: case 0xFFA0:
      return true;
    default:
      return false;
  }
}

// Decodes one UTF-8 sequence at s[i]; returns its length, or 0 if malformed
// (overlong, surrogate, beyond U+10FFFF, truncated).
size_t DecodeUtf8(std::string_view s, size_t i, uint32_t* cp) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  unsigned char c0 = b(0);
  size_t len;
  uint32_t value;
  if (c0 < 0x80) {
    *cp = c0;
    return 1;
  } else if (c0 >= 0xC2 && c0 <= 0xDF) {
    len = 2;
    value = c0 & 0x1F;
  } else if (c0 >= 0xE0 && c0 <= 0xEF) {
    len = 3;
    value = c0 & 0x0F;
  } else if (c0 >= 0xF0 && c0 <= 0xF4) {
    len = 4;
    value = c0 & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    value = (value << 6) | (b(k) & 0x3F);
  }
  if ((len == 3 && value < 0x800) || (len == 4 && value < 0x10000) || value > 0x10FFFF ||
      (value >= 0xD800 && value <= 0xDFFF)) {
    return 0;
  }
  *cp = value;
  return len;
}

// The first gate: every byte of the (trimmed) input, wherever it is, even in
// a URL path we are about to drop. Returns the reason to refuse, if any.
std::optional<std::string> CheckBytes(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) {
      const char* what = c == '\r' ? "CR" : c == '\n' ? "LF" : c == 0 ? "NUL" : "control byte";
      char buf[64];
      std::snprintf(buf, sizeof buf, "%s (0x%02x) at offset %zu", what, c, i);
      return std::string(buf);
    }
    if (c == ' ') return "space at offset " + std::to_string(i);
    uint32_t cp;
    size_t len = DecodeUtf8(s, i, &cp);
    if (len == 0) return "invalid UTF-8 at offset " + std::to_string(i);
    if (IsRefusedCodePoint(cp)) {
      return "invisible or space-like character " + Hex(cp) + " at offset " + std::to_string(i);
    }
    i += len;
  }
  return std::nullopt;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool AllOf(std::string_view s, bool (*pred)(char)) {
  for (char c : s) {
    if (!pred(c)) return false;
  }
  return true;
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Parses up to `max_digits` decimal digits into *out; false on anything else.
bool ParseDecimal(std::string_view s, size_t max_digits, uint64_t* out) {
  if (s.empty() || s.size() > max_digits || !AllOf(s, IsDigit)) return false;
  uint64_t v = 0;
  for (char c : s) v = v * 10 + static_cast<uint64_t>(c - '0');
  *out = v;
  return true;
}

// ---------------------------------------------------------------- AS numbers

// "AS15169", "as15169", "15169", "AS1.10" (asdot, RFC 5396). Only the whole
// input: a number inside a URL is an address, not an AS.
enum class AsParse { kNotAs, kOk, kBad };

AsParse ParseAs(std::string_view s, uint64_t* number) {
  bool prefixed = s.size() >= 2 && Lower(s[0]) == 'a' && Lower(s[1]) == 's';
  std::string_view digits = prefixed ? s.substr(2) : s;
  if (digits.empty()) return AsParse::kNotAs;
  if (!prefixed) {
    // A bare number is an AS number; "1.2" is left to the IPv4 check.
    if (!AllOf(digits, IsDigit)) return AsParse::kNotAs;
    return ParseDecimal(digits, 10, number) && *number <= kMaxAsNumber ? AsParse::kOk
                                                                        : AsParse::kBad;
  }
  if (!IsDigit(digits.front())) return AsParse::kNotAs;  // "asia", "as" are names
  size_t dot = digits.find('.');
  if (dot == std::string_view::npos) {
    if (!AllOf(digits, IsDigit)) return AsParse::kNotAs;  // "as1x" is a label
    return ParseDecimal(digits, 10, number) && *number <= kMaxAsNumber ? AsParse::kOk
                                                                        : AsParse::kBad;
  }
  uint64_t high, low;
  if (!ParseDecimal(digits.substr(0, dot), 5, &high) ||
      !ParseDecimal(digits.substr(dot + 1), 5, &low)) {
    // "as1.example" is a host name.
    return AllOf(digits, [](char c) { return IsDigit(c) || c == '.'; }) ? AsParse::kBad
                                                                         : AsParse::kNotAs;
  }
  if (high > 65535 || low > 65535) return AsParse::kBad;
  *number = high * 65536 + low;
  return AsParse::kOk;
}

// ---------------------------------------------------------------- addresses

struct Address {
  int family = AF_INET;  // AF_INET or AF_INET6
  std::array<unsigned char, 16> bytes{};
};

bool IsIpv4Shaped(std::string_view s) {
  return s.find_first_of("0123456789") != std::string_view::npos &&
         AllOf(s, [](char c) { return IsDigit(c) || c == '.'; });
}

// Two or more colons and no bracket: meant as an IPv6 address (a host:port
// has one colon), so "fe80::1%eth0" is refused as an address, not as a port.
bool IsIpv6Shaped(std::string_view s) {
  size_t colons = 0;
  for (char c : s) colons += c == ':';
  return colons >= 2 && !s.empty() && s.front() != '[';
}

// inet_pton: dotted quad only (no "010.1.1.1", "1.2.3", "0x7f.1"), RFC 4291 text for IPv6.
std::optional<Address> ParseAddress(std::string_view s, int family) {
  if (s.size() > INET6_ADDRSTRLEN) return std::nullopt;
  std::string z(s);
  Address a;
  a.family = family;
  if (inet_pton(family, z.c_str(), a.bytes.data()) != 1) return std::nullopt;
  return a;
}

std::string FormatAddress(const Address& a) {
  char buf[INET6_ADDRSTRLEN];
  if (inet_ntop(a.family, a.bytes.data(), buf, sizeof buf) == nullptr) return "";
  return buf;
}

// ::ffff:a.b.c.d names the IPv4 host a.b.c.d; one object, one cache key.
Address Unmap(const Address& a) {
  if (a.family != AF_INET6) return a;
  static constexpr std::array<unsigned char, 12> kPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  for (size_t i = 0; i < kPrefix.size(); ++i) {
    if (a.bytes[i] != kPrefix[i]) return a;
  }
  Address v4;
  v4.family = AF_INET;
  for (size_t i = 0; i < 4; ++i) v4.bytes[i] = a.bytes[12 + i];
  return v4;
}

Query IpQuery(std::string_view input, std::string normalized) {
  Query q;
  q.type = QueryType::kIp;
  q.input = std::string(input);
  q.normalized = std::move(normalized);
  return q;
}

Result<Query> NormalizeAddress(std::string_view input, std::string_view text, bool bracketed) {
  bool v6 = bracketed || text.find(':') != std::string_view::npos;
  std::optional<Address> a = ParseAddress(text, v6 ? AF_INET6 : AF_INET);
  if (!a) return Refuse(input, v6 ? "invalid IPv6 address" : "invalid IPv4 address");
  return IpQuery(input, FormatAddress(Unmap(*a)));
}

Result<Query> NormalizeCidr(std::string_view input, std::string_view addr, std::string_view prefix,
                            bool bracketed) {
  bool v6 = bracketed || addr.find(':') != std::string_view::npos;
  std::optional<Address> a = ParseAddress(addr, v6 ? AF_INET6 : AF_INET);
  if (!a) return Refuse(input, v6 ? "invalid IPv6 address in CIDR" : "invalid IPv4 address in CIDR");
  const uint64_t max_bits = v6 ? 128 : 32;
  uint64_t bits;
  if (!ParseDecimal(prefix, 3, &bits) || bits > max_bits) {
    return Refuse(input, "CIDR prefix length must be 0-" + std::to_string(max_bits));
  }
  // Mask the host bits: "10.1.2.3/8" names the network 10.0.0.0/8.
  const size_t nbytes = v6 ? 16 : 4;
  for (size_t i = 0; i < nbytes; ++i) {
    uint64_t first_bit = i * 8;
    if (first_bit >= bits) {
      a->bytes[i] = 0;
    } else if (first_bit + 8 > bits) {
      a->bytes[i] &= static_cast<unsigned char>(0xFF << (8 - (bits - first_bit)));
    }
  }
  return IpQuery(input, FormatAddress(*a) + "/" + std::to_string(bits));
}

// ---------------------------------------------------------------- names

bool IsLdhOrUnderscore(char c) { return IsAlpha(c) || IsDigit(c) || c == '-' || c == '_'; }

std::string IdnError(int rc) {
  const char* msg = idn2_strerror(rc);
  return msg ? msg : "IDNA error";
}

// Runs one label through IDNA2008 (UTS #46 non-transitional mapping, NFC).
// For an "xn--" label it validates the Punycode and the decoded U-label.
std::optional<std::string> ToALabel(const std::string& label, std::string* error) {
  uint8_t* out = nullptr;
  int rc = idn2_lookup_u8(reinterpret_cast<const uint8_t*>(label.c_str()), &out, kIdnaFlags);
  std::unique_ptr<uint8_t, decltype(&idn2_free)> holder(out, &idn2_free);
  if (rc != IDN2_OK) {
    *error = "invalid IDN label \"" + Printable(label) + "\": " + IdnError(rc);
    return std::nullopt;
  }
  return std::string(reinterpret_cast<const char*>(out));
}

std::string ToUnicode(const std::string& name) {
  if (name.find("xn--") == std::string::npos) return "";
  char* out = nullptr;
  int rc = idn2_to_unicode_8z8z(name.c_str(), &out, 0);
  std::unique_ptr<char, decltype(&idn2_free)> holder(out, &idn2_free);
  if (rc != IDN2_OK || out == nullptr || name == out) return "";
  return out;
}

// Replaces the UTS #46 full-stop variants (U+3002, U+FF0E, U+FF61) by '.'.
std::string FoldDots(std::string_view host) {
  static constexpr std::array<std::string_view, 3> kDots = {"\xE3\x80\x82", "\xEF\xBC\x8E",
                                                             "\xEF\xBD\xA1"};
  std::string out;
  out.reserve(host.size());
  for (size_t i = 0; i < host.size();) {
    bool folded = false;
    for (std::string_view dot : kDots) {
      if (host.substr(i, dot.size()) == dot) {
        out += '.';
        i += dot.size();
        folded = true;
        break;
      }
    }
    if (!folded) out += host[i++];
  }
  return out;
}

// Converts each label to a lower-case A-label and checks it; returns the
// labels or the reason to refuse. '_' is accepted here (DNS names such as
// _dmarc.example.com exist) and refused later in the part that is kept.
std::optional<std::vector<std::string>> ToLabels(std::string_view host, std::string* error) {
  std::vector<std::string> labels;
  size_t start = 0;
  while (true) {
    size_t dot = host.find('.', start);
    std::string_view raw = host.substr(start, dot == std::string_view::npos ? host.npos : dot - start);
    if (raw.empty()) {
      *error = "empty label";
      return std::nullopt;
    }
    bool ascii = true;
    for (char c : raw) {
      if (static_cast<unsigned char>(c) >= 0x80) {
        ascii = false;
      } else if (!IsLdhOrUnderscore(c)) {
        *error = std::string("forbidden character '") + c + "' in host name";
        return std::nullopt;
      }
    }
    std::string label;
    if (ascii) {
      for (char c : raw) label += Lower(c);
      if (label.size() <= kMaxLabelBytes && label.size() > 4 && label.compare(0, 4, "xn--") == 0) {
        std::optional<std::string> checked = ToALabel(label, error);
        if (!checked) return std::nullopt;
        if (*checked != label) {
          *error = "label \"" + label + "\" is not a canonical A-label";
          return std::nullopt;
        }
      }
    } else {
      std::optional<std::string> converted = ToALabel(std::string(raw), error);
      if (!converted) return std::nullopt;
      label = std::move(*converted);
      // UTS #46 maps some characters to ASCII punctuation ("／" -> "/",
      // "⒈" -> "1."): the result must be letters, digits and hyphens only.
      for (char c : label) {
        if (!IsLdhOrUnderscore(c)) {
          *error = "label \"" + Printable(raw) + "\" maps to forbidden character '" +
                   Printable(std::string_view(&c, 1)) + "'";
          return std::nullopt;
        }
      }
    }
    if (label.size() > kMaxLabelBytes) {
      *error = "label longer than 63 bytes (" + std::to_string(label.size()) + ")";
      return std::nullopt;
    }
    if (label.front() == '-' || label.back() == '-') {
      *error = "label \"" + label + "\" starts or ends with '-'";
      return std::nullopt;
    }
    labels.push_back(std::move(label));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return labels;
}

// A special registry zone of the server table (br.com, uk.co, co.za, ...)
// strictly above `name`, or "". Only zones with a registry of their own
// (status ok, web-only, special) count; "none" zones such as bl.uk are single
// organisations' names inside their TLD.
std::string_view RegistryZoneAbove(const std::string& name) {
  size_t dot = name.find('.');
  if (dot == std::string::npos) return {};
  const TldInfo* row = FindTld(std::string_view(name).substr(dot + 1));
  if (row == nullptr || row->kind != "sld") return {};
  if (row->status != "ok" && row->status != "web-only" && row->status != "special") return {};
  return row->tld;
}

size_t CountLabels(std::string_view s) {
  size_t n = 1;
  for (char c : s) n += c == '.';
  return n;
}

Result<Query> NormalizeName(std::string_view input, std::string_view raw_host) {
  std::string host = FoldDots(raw_host);
  std::string_view h = host;
  if (!h.empty() && h.front() == '.') h.remove_prefix(1);  // zone notation ".uk"
  if (!h.empty() && h.back() == '.') h.remove_suffix(1);   // the root
  if (h.empty()) return Refuse(input, "empty host name");
  std::string error;
  std::optional<std::vector<std::string>> labels = ToLabels(h, &error);
  if (!labels) return Refuse(input, error);
  std::string name;
  for (const std::string& label : *labels) {
    if (!name.empty()) name += '.';
    name += label;
  }
  if (name.size() > kMaxNameBytes) {
    return Refuse(input, "name longer than 253 bytes (" + std::to_string(name.size()) + ")");
  }
  if (AllOf(labels->back(), IsDigit)) {
    return Refuse(input, IsIpv4Shaped(name) ? "invalid IPv4 address" : "numeric top-level label");
  }

  std::string_view suffix = internal::IcannPublicSuffix(name);
  std::string_view zone = RegistryZoneAbove(name);
  if (zone.size() > suffix.size()) suffix = std::string_view(name).substr(name.size() - zone.size());

  Query q;
  q.input = std::string(input);
  q.tld = labels->back();
  if (suffix.size() == name.size()) {
    q.type = QueryType::kTld;
    q.normalized = name;
  } else {
    q.type = QueryType::kDomain;
    // One label more than the suffix: the registrable domain.
    const size_t keep = CountLabels(suffix) + 1;
    const size_t drop = labels->size() - keep;
    for (size_t i = drop; i < labels->size(); ++i) {
      if (!q.normalized.empty()) q.normalized += '.';
      q.normalized += (*labels)[i];
    }
  }
  q.suffix = std::string(suffix);
  if (q.normalized.find('_') != std::string::npos) {
    return Refuse(input, "'_' in the registrable name \"" + q.normalized + "\"");
  }
  q.unicode = ToUnicode(q.normalized);
  return q;
}

// ---------------------------------------------------------------- structure

// RFC 3986 scheme followed by "://"; returns the length through "://" or 0.
size_t SchemeLength(std::string_view s) {
  if (s.empty() || !IsAlpha(s[0])) return 0;
  size_t i = 1;
  while (i < s.size() && (IsAlpha(s[i]) || IsDigit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')) {
    ++i;
  }
  return s.substr(i, 3) == "://" ? i + 3 : 0;
}

Result<Query> NormalizeAuthority(std::string_view input, std::string_view authority, bool url) {
  if (url) {
    size_t at = authority.rfind('@');
    if (at != std::string_view::npos) authority.remove_prefix(at + 1);  // userinfo
  }
  if (authority.find('@') != std::string_view::npos) {
    return Refuse(input, "'@' in a host name (give the domain, not an e-mail address)");
  }
  std::string_view host, port;
  bool bracketed = false, has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return Refuse(input, "unterminated '[' in host");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Refuse(input, "unexpected text after ']'");
      port = after.substr(1);
      has_port = true;
    }
    bracketed = true;
  } else {
    size_t colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      has_port = true;
    }
  }
  if (has_port && port.empty() && !url) {
    // "http:/example.com" or "example.com:" is a typo, not a host named "http".
    return Refuse(input, "empty port after ':' (malformed URL?)");
  }
  if (has_port && !port.empty()) {
    uint64_t value;
    if (!ParseDecimal(port, 5, &value) || value > 65535) {
      return Refuse(input, "invalid port \"" + Printable(port) + "\"");
    }
  }
  if (host.empty()) return Refuse(input, "empty host");
  if (bracketed) return NormalizeAddress(input, host, true);
  if (IsIpv4Shaped(host)) return NormalizeAddress(input, host, false);
  return NormalizeName(input, host);
}

}  // namespace

Result<Query> Normalize(std::string_view input) {
  if (input.size() > kMaxInputBytes) {
    return Refuse(input, "longer than " + std::to_string(kMaxInputBytes) + " bytes");
  }
  const std::string_view s = TrimAscii(input);
  if (s.empty()) return Refuse(input, "empty");
  if (std::optional<std::string> bad = CheckBytes(s)) return Refuse(input, *bad);

  const size_t scheme = SchemeLength(s);
  if (scheme == 0) {
    // Forms that only exist as the whole input: AS numbers, bare IPv6, CIDR.
    uint64_t as_number;
    switch (ParseAs(s, &as_number)) {
      case AsParse::kOk: {
        Query q;
        q.type = QueryType::kAs;
        q.input = std::string(input);
        q.normalized = "AS" + std::to_string(as_number);
        return q;
      }
      case AsParse::kBad:
        return Refuse(input, "AS number must be 0-4294967295 (asplain) or 0-65535.0-65535 (asdot)");
      case AsParse::kNotAs:
        break;
    }
    if (s.front() == '[') {  // "[2001:db8::]/32": a bracketed network, not a path
      size_t close = s.find(']');
      if (close != std::string_view::npos && s.substr(close + 1, 1) == "/") {
        return NormalizeCidr(input, s.substr(1, close - 1), s.substr(close + 2), true);
      }
    }
    size_t slash = s.find('/');
    std::string_view before_slash = s.substr(0, slash);
    if (IsIpv6Shaped(before_slash) || (slash != std::string_view::npos && IsIpv4Shaped(before_slash))) {
      if (slash == std::string_view::npos) return NormalizeAddress(input, s, false);
      return NormalizeCidr(input, before_slash, s.substr(slash + 1), false);
    }
  }

  std::string_view rest = s.substr(scheme);
  bool url = scheme != 0;
  if (!url && rest.substr(0, 2) == "//") {  // protocol-relative URL
    rest.remove_prefix(2);
    url = true;
  }
  // After a scheme, '\\' ends the authority as '/' does (WHATWG URL parsing of
  // http/https): "http://example.com\\@evil.com" is example.com to a browser.
  return NormalizeAuthority(input, rest.substr(0, rest.find_first_of(scheme ? "/?#\\" : "/?#")), url);
}

const char* TypeName(QueryType t) {
  switch (t) {
    case QueryType::kDomain:
      return "domain";
    case QueryType::kIp:
      return "ip";
    case QueryType::kAs:
      return "AS";
    case QueryType::kTld:
      return "tld";
  }
  return "domain";
}

}  // namespace whoisq::resolve
