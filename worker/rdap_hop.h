// One RDAP hop of a lookup: the HTTP answer of the job's URL turned into the
// job's result (record, next hop, typed error), the way a WHOIS hop's text is.
#pragma once

#include "schema/messages.h"
#include "worker/rdap_client.h"

namespace whoisq::worker {

// Builds the result of `job` (protocol "rdap") from `answer`:
// - 2xx: the body mapped to the record (parse::ParseRdap; the JSON is kept as
//   raw data); a `related` registrar link becomes referral_url. A body that
//   is not RDAP JSON is server_error. A rate-limit notice in it is throttled.
// - 404: registered = "no" (an answer, not an error).
// - 429: throttled, with the server's Retry-After (ms) when it gave one.
// - 3xx not followed by the client (another server): referral_url = location.
// - 403: refused (the server turned us away), or throttled when its body is
//   a rate-limit notice; 400/422: invalid_query;
//   5xx and any other status: server_error.
// - transport failures keep the client's code (timeout, refused, tls_error...).
// Job type "bootstrap" (an RDAP bootstrap file) keeps the body as raw lines
// and maps nothing.
schema::JobResult RdapJobResult(const schema::Job& job, const HttpAnswer& answer);

}  // namespace whoisq::worker
