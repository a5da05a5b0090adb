// Maps an RDAP JSON response (RFC 9083: domain, ip network, autnum, entity,
// nameserver or error object) to the project's one record shape, with the
// WHOIS parser's conventions for the same fields. See docs/rdap.md.
#pragma once

#include <string>
#include <string_view>

#include "schema/record.h"
#include "schema/status.h"

namespace whoisq::parse {

struct RdapOptions {
  std::string server{};  // host that answered, e.g. "rdap.verisign.com"
  std::string url{};     // the URL asked
  int http_status = 200;
};

struct RdapResult {
  schema::Record record;     // protocol = "rdap"; rawdata = the JSON body split in lines
  std::string related_url;   // the registrar's RDAP URL (links[] rel "related"), "" if none
  std::string port43;        // the object's port43 member, lower case; "" if none
};

// Maps one RDAP body to a record: regrinfo, regyinfo.type, throttled,
// protocol "rdap" and rawdata (the body's lines); regyinfo.servers is the
// caller's. An error object or HTTP 404 gives registered = "no"; HTTP or
// errorCode 429, or a rate-limit text in a notice, remark or description,
// gives throttled = true. A 404 or 429 answer gives a record whatever its body.
// Otherwise returns kMalformed (with a message) when the body is not JSON, not
// a JSON object, or nests deeper than 64 levels. Members of the wrong type are
// skipped; lists are capped. Never throws; thread-safe (no shared mutable state).
schema::Result<RdapResult> ParseRdap(std::string_view body, const RdapOptions& options);

}  // namespace whoisq::parse
