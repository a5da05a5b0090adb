// The worker's RDAP client: one HTTP(S) GET of an RDAP URL, bounded in time and
// size, TLS-verified, over pooled keep-alive connections. Runs on the worker's
// Asio executor; never throws.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <utility>  // must precede Boost 1.74 awaitable.hpp (std::exchange)

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "schema/status.h"
#include "worker/whois_client.h"  // AddressBook

namespace whoisq::worker {

struct TlsSettings {
  std::string ca_file;                      // extra PEM CA certificates trusted besides the system store; "" = none
  std::vector<std::string> insecure_hosts;  // hosts whose certificate is not verified (operator opt-out)
};

struct HttpRequest {
  std::string url;                                   // absolute http(s) URL
  std::chrono::milliseconds timeout{15000};          // whole request incl. redirects and TLS handshakes
  std::chrono::milliseconds connect_timeout{5000};   // each TCP connect, within `timeout`
  uint32_t max_bytes = 1 << 20;  // cap on the decoded body (and on the body as sent, gzip or not)
  int max_redirects = 3;         // same-origin redirects followed
};

struct HttpAnswer {
  // ok when an HTTP response was received (any status code); else timeout / refused / unreachable /
  // tls_error / too_large / server_error (garbled HTTP, bad gzip) / invalid_query (bad URL).
  schema::Status status;
  int http_status = 0;
  std::string body;             // decoded (gunzipped) body, possibly partial on error
  std::string content_type;
  int64_t retry_after_ms = -1;  // from Retry-After (delta seconds or HTTP-date), -1 if absent
  // A redirect NOT followed (other origin, or too many): its absolute URL. The caller schedules
  // it as a separate token-gated hop.
  std::string location;
  std::string final_url;        // the URL that produced the answer
  std::chrono::milliseconds elapsed{0};
  bool reused_connection = false;  // the final response came over a pooled keep-alive connection
};

// An HTTP/1.1 client for RDAP with a keep-alive pool per (scheme, host, port):
// at most 4 idle connections per origin, each dropped after 30 s idle or once
// the server closed it.
//
// Not thread-safe, by design: Create(), Get(), IdleConnections() and the
// destructor must all run on the executor passed to Create(), which must be
// single-threaded (the worker's io_context thread); the pool is then touched by
// one coroutine at a time, between suspension points, and needs no lock.
// Several Get() calls may be in flight at once. The client must outlive them.
class RdapClient {
 public:
  // Loads the system trust store plus `tls.ca_file`; kIoError naming the file
  // when it cannot be read, kTlsError when it holds no usable certificate.
  // `book` (copied) maps host names to addresses: the TCP connection goes to
  // the mapped address while SNI, certificate name verification and the HTTP
  // Host header keep the real name.
  static schema::Result<std::unique_ptr<RdapClient>> Create(boost::asio::any_io_executor ex,
                                                            const AddressBook& book,
                                                            const TlsSettings& tls);
  ~RdapClient();
  RdapClient(const RdapClient&) = delete;
  RdapClient& operator=(const RdapClient&) = delete;

  // GETs `request.url`, following same-origin redirects. Completes within
  // `request.timeout` (plus scheduling slack). Never throws.
  boost::asio::awaitable<HttpAnswer> Get(HttpRequest request);

  // Idle keep-alive connections currently pooled (tests).
  size_t IdleConnections() const;

 private:
  class Impl;
  explicit RdapClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Milliseconds to wait from a Retry-After value (RFC 9110 §10.2.3): delta
// seconds or an HTTP-date (IMF-fixdate, RFC 850 or asctime), relative to `now`
// and never negative; -1 if the value is neither.
int64_t RetryAfterMs(std::string_view value, std::chrono::system_clock::time_point now);

}  // namespace whoisq::worker
