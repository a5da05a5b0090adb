// What a simulated RDAP server answers, as pure functions: the request target
// read as a Query, the Host check, RDAP error bodies (RFC 9083 section 6),
// the rule-to-reply step and gzip. No sockets; see rdap_endpoint.h for those.
#pragma once

#include <string>
#include <string_view>

#include "tools/whois_sim/answer_book.h"

namespace whoisq::sim {

// One HTTP answer before it meets the wire (headers added by the endpoint:
// Content-Length, Connection, Retry-After, Content-Encoding).
struct RdapReply {
  int status = 200;
  std::string content_type = "application/rdap+json";
  std::string body;
  std::string location;  // set on redirects
};

// Decodes %XX escapes; a malformed escape stays as it is.
std::string PercentDecode(std::string_view text);

// Reads a request target ("/rdap/domain/Example.COM?x=1"): line = the path
// without query string or fragment, as sent; name = its last non-empty
// segment, percent-decoded, lowercased ("example.com").
Query ParseRdapTarget(std::string_view target);

// True if a Host header value names `name`: case-insensitive, port optional
// ("rdap.example.test:8443"). An empty value never matches.
bool HostMatches(std::string_view host, std::string_view name);

// True if an Accept-Encoding value allows gzip ("gzip", "x-gzip" or "*",
// with a q-value other than 0).
bool AcceptsGzip(std::string_view accept_encoding);

// The gzip (RFC 1952) form of `data`.
std::string Gzip(std::string_view data);

// {"errorCode":code,"title":title,"description":[description]}, valid JSON
// whatever bytes `description` holds.
std::string RdapErrorBody(int code, std::string_view title, std::string_view description);

// The reply of mode "normal": the first rule of `book` that matches, with
// its templates rendered (body verbatim, no CRLF treatment); else 404 with
// the book's not-found template, or an RDAP error body when that is empty.
RdapReply AnswerRdap(const AnswerBook& book, const Query& query);

// 429 with an RDAP error body whose description is `throttle_text` rendered.
RdapReply ThrottleReply(std::string_view throttle_text, const Query& query);

// A reply with an RDAP error body: 400, 405, 431, 503 and so on.
RdapReply ErrorReply(int status, std::string_view title, std::string_view description);

}  // namespace whoisq::sim
