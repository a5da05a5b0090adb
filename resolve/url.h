// Absolute http(s) URLs as the RDAP client needs them: parsed into the parts a
// request is built from, checked so that nothing unsafe reaches a request line,
// and resolved against a redirect's Location. Rules: docs/resolve.md, "URLs".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "schema/status.h"

namespace whoisq::resolve {

struct Url {
  std::string scheme;  // "https" or "http" (lowercased)
  std::string host;    // lowercased; IPv6 literal without brackets (RFC 5952 form)
  uint16_t port = 0;   // explicit or the scheme's default (443 / 80)
  std::string target;  // path + "?query", at least "/"; fragment dropped
  // Canonical form: scheme://host[:port if not default]target (brackets for IPv6).
  std::string ToString() const;
  // True when scheme, host and port are equal (RFC 6454 origin).
  bool SameOrigin(const Url& other) const;
};

// Parses an absolute http(s) URL. Fails with kInvalidQuery and a message naming
// the problem for anything else: other schemes, userinfo, an empty or malformed
// host, a bad port (0, > 65535, not digits), control bytes, spaces, CR, LF or
// non-ASCII bytes anywhere, more than 2048 bytes. Dot segments in the path are
// removed (RFC 3986 5.2.4). Never throws. Thread-safe.
schema::Result<Url> ParseUrl(std::string_view url);

// Resolves a Location header value against `base` (RFC 3986 5.2): an absolute
// http(s) URL, a scheme-relative "//host/path", an absolute path "/path", or a
// relative reference ("?q", "a/b", "../c"). The result passes the same checks
// as ParseUrl; failures are kInvalidQuery. Never throws. Thread-safe.
schema::Result<Url> ResolveUrl(const Url& base, std::string_view location);

// Percent-encodes one path segment: RFC 3986 unreserved characters
// (ALPHA / DIGIT / "-" / "." / "_" / "~") are kept, every other byte becomes
// %XX (upper-case hex), including '/', '?', '#', '%' and bytes >= 0x80.
std::string EncodePathSegment(std::string_view s);

}  // namespace whoisq::resolve
