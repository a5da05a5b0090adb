// Server-specific WHOIS query formats (DENIC's "-T dn,ace", JPRS's "/e", ARIN's
// "n + ", RIPE-database flags, ...), kept as a table; see docs/resolve.md.
#pragma once

#include <string>
#include <string_view>

#include "resolve/query.h"

namespace whoisq::resolve {

// Returns the query line (without CRLF) to send to `whois_host` on port 43 for
// `q`: the host's built-in template for q.type, else the server table's
// query_template for domain queries, else the bare q.normalized.
// `q` must come from Normalize(); its normalized form holds no control byte or
// space, so the result never contains CR, LF or a control byte. A hand-built
// Query that breaks this is a programmer error (assert); release builds then
// return "" so that nothing unsafe is sent. Thread-safe.
std::string FormatQuery(std::string_view whois_host, const Query& q);

}  // namespace whoisq::resolve
