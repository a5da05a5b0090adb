// ParseUrl / ResolveUrl / EncodePathSegment. Every URL, including the result of
// a resolution, goes through the one ParseUrl check, so a redirect cannot
// produce a request line that ParseUrl would have refused.
#include "resolve/url.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "schema/ascii.h"

namespace whoisq::resolve {
namespace {

using schema::ErrorCode;
using schema::Result;

constexpr size_t kMaxUrlBytes = 2048;  // longer is refused: RDAP URLs are short
constexpr size_t kMaxHostBytes = 253;  // RFC 1035, without the root dot
constexpr size_t kMaxLabelBytes = 63;
constexpr uint16_t kHttpPort = 80;
constexpr uint16_t kHttpsPort = 443;
constexpr char kHexDigits[] = "0123456789ABCDEF";  // percent-encoding (RFC 3986 2.1)
constexpr char kLowerHex[] = "0123456789abcdef";   // \xNN in messages, as Normalize shows them

// The URL as an error message can show it: printable ASCII kept, other bytes
// as \xNN, at most 80 bytes, so a refused URL never puts CR/LF into a log.
std::string Shown(std::string_view s) {
  constexpr size_t kMaxShown = 80;
  std::string out;
  for (size_t i = 0; i < s.size() && i < kMaxShown; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c > 0x20 && c < 0x7F && c != '"' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kLowerHex[c >> 4];
      out += kLowerHex[c & 0xF];
    }
  }
  if (s.size() > kMaxShown) out += "...";
  return out;
}

Result<Url> Invalid(std::string_view url, const std::string& reason) {
  return Result<Url>(ErrorCode::kInvalidQuery, "invalid URL \"" + Shown(url) + "\": " + reason);
}

// Control bytes, space, DEL and non-ASCII are refused anywhere: the target
// goes verbatim into an HTTP request line, and non-ASCII must arrive already
// percent-encoded (path) or as A-labels (host).
std::optional<std::string> CheckBytes(std::string_view s) {
  if (s.size() > kMaxUrlBytes) {
    return "longer than " + std::to_string(kMaxUrlBytes) + " bytes";
  }
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c > 0x20 && c < 0x7F) continue;
    const char* what = c == '\r'   ? "CR"
                       : c == '\n' ? "LF"
                       : c == ' '  ? "space"
                       : c >= 0x80 ? "non-ASCII byte"
                                   : "control byte";
    return std::string(what) + " at offset " + std::to_string(i);
  }
  return std::nullopt;
}

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUnreserved(char c) {
  return IsAlpha(c) || IsDigit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

// Length of an RFC 3986 scheme followed by ':' at the start of `s` (the
// position of the ':'), or npos when `s` has no scheme.
size_t SchemeEnd(std::string_view s) {
  if (s.empty() || !IsAlpha(s[0])) return std::string_view::npos;
  for (size_t i = 1; i < s.size(); ++i) {
    const char c = s[i];
    if (c == ':') return i;
    if (!IsAlpha(c) && !IsDigit(c) && c != '+' && c != '-' && c != '.') break;
  }
  return std::string_view::npos;
}

uint16_t DefaultPort(std::string_view scheme) { return scheme == "https" ? kHttpsPort : kHttpPort; }

// RFC 3986 5.2.4 remove_dot_segments.
std::string RemoveDotSegments(std::string_view in) {
  std::string out;
  const auto pop_last = [&out] {
    const size_t slash = out.rfind('/');
    out.erase(slash == std::string::npos ? 0 : slash);
  };
  while (!in.empty()) {
    if (in.starts_with("../")) {
      in.remove_prefix(3);
    } else if (in.starts_with("./") || in.starts_with("/./")) {
      in.remove_prefix(2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.starts_with("/../")) {
      in.remove_prefix(3);
      pop_last();
    } else if (in == "/..") {
      in = "/";
      pop_last();
    } else if (in == "." || in == "..") {
      in = {};
    } else {
      const size_t next = in.find('/', 1);
      const size_t n = next == std::string_view::npos ? in.size() : next;
      out.append(in.substr(0, n));
      in.remove_prefix(n);
    }
  }
  return out;
}

// A registered name: LDH labels ('_' tolerated, as in real DNS names),
// non-empty, <= 63 bytes, <= 253 in all, one optional trailing dot. A name
// whose last label is numeric must be a dotted-quad IPv4 address (browsers
// would read "1.2.3" or "0x7f.1" as an address; we refuse to guess).
std::optional<std::string> CheckRegName(std::string_view host) {
  std::string_view name = host;
  if (name.ends_with('.')) name.remove_suffix(1);
  if (name.empty()) return "empty host";
  if (name.size() > kMaxHostBytes) return "host longer than 253 bytes";
  size_t label_start = 0;
  for (size_t i = 0; i <= name.size(); ++i) {
    if (i == name.size() || name[i] == '.') {
      const size_t len = i - label_start;
      if (len == 0) return "empty label in host";
      if (len > kMaxLabelBytes) return "host label longer than 63 bytes";
      label_start = i + 1;
      continue;
    }
    const char c = name[i];
    if (!IsAlpha(c) && !IsDigit(c) && c != '-' && c != '_') {
      return std::string("forbidden character '") + c + "' in host";
    }
  }
  const std::string_view last = name.substr(name.rfind('.') + 1);
  bool numeric = true;
  for (char c : last) numeric = numeric && IsDigit(c);
  if (numeric) {
    std::array<unsigned char, 4> addr;
    if (inet_pton(AF_INET, std::string(name).c_str(), addr.data()) != 1) {
      return "numeric host is not a dotted-quad IPv4 address";
    }
  }
  return std::nullopt;
}

// Fills url->host and url->port from an authority (the text between "//" and
// the first '/', '?' or '#'). Returns the reason to refuse, if any.
std::optional<std::string> ParseAuthority(std::string_view authority, Url* url) {
  if (authority.find('@') != std::string_view::npos) return "userinfo is not allowed";
  std::string_view host, port;
  bool has_port = false;
  if (authority.starts_with('[')) {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return "unterminated '[' in host";
    const std::string literal(authority.substr(1, close - 1));
    std::array<unsigned char, 16> addr;
    if (inet_pton(AF_INET6, literal.c_str(), addr.data()) != 1) return "invalid IPv6 literal";
    char text[INET6_ADDRSTRLEN];
    if (inet_ntop(AF_INET6, addr.data(), text, sizeof text) == nullptr) return "invalid IPv6 literal";
    url->host = text;
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (!after.starts_with(':')) return "unexpected text after ']'";
      port = after.substr(1);
      has_port = true;
    }
  } else {
    const size_t colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      has_port = true;
    }
    if (std::optional<std::string> bad = CheckRegName(host)) return bad;
    url->host = schema::AsciiLower(host);
  }
  url->port = DefaultPort(url->scheme);
  // An empty port ("http://h:/") means the default (RFC 3986 3.2.3).
  if (has_port && !port.empty()) {
    uint32_t value = 0;
    bool digits = port.size() <= 5;
    for (char c : port) {
      digits = digits && IsDigit(c);
      value = value * 10 + static_cast<uint32_t>(c - '0');
    }
    if (!digits || value == 0 || value > 65535) return "invalid port \"" + Shown(port) + "\"";
    url->port = static_cast<uint16_t>(value);
  }
  return std::nullopt;
}

// Path (dot segments removed, at least "/") + "?query"; the fragment is dropped.
std::string MakeTarget(std::string_view path_and_query) {
  path_and_query = path_and_query.substr(0, path_and_query.find('#'));
  const size_t q = path_and_query.find('?');
  const std::string_view path = path_and_query.substr(0, q);
  std::string target = path.empty() ? std::string("/") : RemoveDotSegments(path);
  if (target.empty() || target.front() != '/') target.insert(0, "/");
  if (q != std::string_view::npos) target.append(path_and_query.substr(q));
  return target;
}

}  // namespace

std::string Url::ToString() const {
  std::string out = scheme + "://";
  if (host.find(':') != std::string::npos) {
    out += '[' + host + ']';
  } else {
    out += host;
  }
  if (port != DefaultPort(scheme)) out += ':' + std::to_string(port);
  out += target;
  return out;
}

bool Url::SameOrigin(const Url& other) const {
  return scheme == other.scheme && host == other.host && port == other.port;
}

Result<Url> ParseUrl(std::string_view url) {
  if (std::optional<std::string> bad = CheckBytes(url)) return Invalid(url, *bad);
  const size_t colon = SchemeEnd(url);
  if (colon == std::string_view::npos) return Invalid(url, "not an absolute URL (no scheme)");
  Url out;
  out.scheme = schema::AsciiLower(url.substr(0, colon));
  if (out.scheme != "http" && out.scheme != "https") {
    return Invalid(url, "scheme must be http or https, not \"" + Shown(out.scheme) + "\"");
  }
  std::string_view rest = url.substr(colon + 1);
  if (!rest.starts_with("//")) return Invalid(url, "no \"//\" after the scheme");
  rest.remove_prefix(2);
  const size_t authority_end = rest.find_first_of("/?#");
  if (std::optional<std::string> bad = ParseAuthority(rest.substr(0, authority_end), &out)) {
    return Invalid(url, *bad);
  }
  out.target = MakeTarget(authority_end == std::string_view::npos ? std::string_view()
                                                                  : rest.substr(authority_end));
  return out;
}

Result<Url> ResolveUrl(const Url& base, std::string_view location) {
  if (std::optional<std::string> bad = CheckBytes(location)) return Invalid(location, *bad);
  if (SchemeEnd(location) != std::string_view::npos) return ParseUrl(location);
  if (location.starts_with("//")) return ParseUrl(base.scheme + ":" + std::string(location));

  // Same origin: merge the reference with the base target (RFC 3986 5.2.2/5.2.3).
  std::string_view ref = location.substr(0, location.find('#'));
  const size_t ref_q = ref.find('?');
  const std::string_view ref_path = ref.substr(0, ref_q);
  const std::string_view base_target = base.target;
  const size_t base_q = base_target.find('?');
  const std::string_view base_path = base_target.substr(0, base_q);
  std::string path_and_query;
  if (ref_path.empty()) {
    path_and_query = base_path;
    path_and_query += ref_q != std::string_view::npos ? ref.substr(ref_q)
                      : base_q != std::string_view::npos ? base_target.substr(base_q)
                                                         : std::string_view();
  } else {
    if (ref_path.starts_with('/')) {
      path_and_query = ref_path;
    } else {
      const size_t slash = base_path.rfind('/');
      path_and_query = slash == std::string_view::npos ? "/" : std::string(base_path.substr(0, slash + 1));
      path_and_query += ref_path;
    }
    if (ref_q != std::string_view::npos) path_and_query += ref.substr(ref_q);
  }
  Url origin = base;
  origin.target = MakeTarget(path_and_query);
  // Re-checked as a whole: the merged URL must pass ParseUrl like any other.
  return ParseUrl(origin.ToString());
}

std::string EncodePathSegment(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (IsUnreserved(c)) {
      out += c;
    } else {
      const auto b = static_cast<unsigned char>(c);
      out += '%';
      out += kHexDigits[b >> 4];
      out += kHexDigits[b & 0xF];
    }
  }
  return out;
}

}  // namespace whoisq::resolve
