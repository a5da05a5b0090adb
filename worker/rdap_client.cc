#include "worker/rdap_client.h"

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <deque>
#include <exception>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include <sys/socket.h>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <zlib.h>

#include "resolve/url.h"
#include "schema/ascii.h"

#ifndef WHOISQ_VERSION
#define WHOISQ_VERSION "0.1"
#endif

namespace whoisq::worker {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;
using asio::ip::tcp;
using schema::ErrorCode;
using schema::Status;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

namespace {

// Pool bounds. Fixed rather than options: RDAP servers are few per worker and
// these only trade a handful of file descriptors against handshakes.
constexpr size_t kMaxIdlePerOrigin = 4;
constexpr auto kIdleTimeout = std::chrono::seconds(30);
// Status line plus headers; RDAP servers send a few CORS/security headers.
constexpr uint32_t kMaxHeaderBytes = 32 * 1024;
// Interim (1xx) responses skipped before the real one.
constexpr int kMaxInterimResponses = 4;

constexpr char kAccept[] = "application/rdap+json, application/json;q=0.9";
constexpr char kUserAgent[] = "whoisq/" WHOISQ_VERSION;

std::chrono::milliseconds Since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

bool IsIpLiteral(const std::string& host) {
  error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

bool IsRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::string OriginKey(const resolve::Url& url) {
  return url.scheme + "://" + url.host + ":" + std::to_string(url.port);
}

// Host header value: the real name, bracketed if IPv6, with the port unless default.
std::string HostHeader(const resolve::Url& url) {
  std::string host = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
  const uint16_t default_port = url.scheme == "https" ? 443 : 80;
  if (url.port != default_port) host += ":" + std::to_string(url.port);
  return host;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Inflates a gzip body (one or more members) into `*out`, at most `max_bytes`;
// kTooLarge past the cap (a gzip bomb), kServerError on a corrupt or truncated
// stream. `*out` keeps what was decoded before a failure.
Status Gunzip(std::string_view in, uint32_t max_bytes, std::string* out) {
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return Status(ErrorCode::kInternal, "inflateInit2 failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  char chunk[16384];
  int rc = Z_OK;
  Status status;
  for (;;) {
    zs.next_out = reinterpret_cast<Bytef*>(chunk);
    zs.avail_out = sizeof(chunk);
    rc = inflate(&zs, Z_NO_FLUSH);
    size_t n = sizeof(chunk) - zs.avail_out;
    size_t room = max_bytes - out->size();
    out->append(chunk, std::min(n, room));
    if (n > room) {
      status = Status(ErrorCode::kTooLarge, "gzip body decodes to over " + std::to_string(max_bytes) + " bytes");
      break;
    }
    if (rc == Z_STREAM_END && zs.avail_in > 0) {  // concatenated members (RFC 1952 2.2)
      rc = inflateReset(&zs);
      if (rc != Z_OK) break;
      continue;
    }
    if (rc != Z_OK) break;
  }
  if (status.ok() && rc != Z_STREAM_END) {
    status = Status(ErrorCode::kServerError,
                    rc == Z_BUF_ERROR ? std::string("gzip body truncated")
                                      : std::string("bad gzip body: ") + (zs.msg ? zs.msg : "inflate failed"));
  }
  inflateEnd(&zs);
  return status;
}

int MonthIndex(std::string_view token) {
  static constexpr const char* kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                            "jul", "aug", "sep", "oct", "nov", "dec"};
  for (int i = 0; i < 12; ++i) {
    if (schema::EqualsIgnoreCase(token, kMonths[i])) return i;
  }
  return -1;
}

// An HTTP-date in any of the three RFC 9110 §5.6.7 forms, as seconds since the
// epoch. The forms differ only in order and separators: tokens are the
// weekday (ignored), day, month name, year, hh:mm:ss and "GMT".
std::optional<int64_t> ParseHttpDate(std::string_view value) {
  std::vector<std::string_view> numbers;
  int month = -1;
  int hms[3] = {-1, -1, -1};
  size_t i = 0;
  while (i < value.size()) {
    if (value[i] == ' ' || value[i] == ',' || value[i] == '-') {
      ++i;
      continue;
    }
    size_t end = value.find_first_of(" ,-", i);
    if (end == std::string_view::npos) end = value.size();
    std::string_view token = value.substr(i, end - i);
    i = end;
    if (token.find(':') != std::string_view::npos) {
      if (token.size() != 8 || token[2] != ':' || token[5] != ':' || !AllDigits(token.substr(0, 2)) ||
          !AllDigits(token.substr(3, 2)) || !AllDigits(token.substr(6, 2)) || hms[0] >= 0) {
        return std::nullopt;
      }
      for (int k = 0; k < 3; ++k) hms[k] = std::stoi(std::string(token.substr(k * 3, 2)));
    } else if (AllDigits(token)) {
      numbers.push_back(token);
    } else if (int m = MonthIndex(token); m >= 0) {
      if (month >= 0) return std::nullopt;
      month = m;
    }  // weekday names and "GMT" carry nothing we need
  }
  if (numbers.size() != 2 || month < 0 || hms[0] < 0 || numbers[0].size() > 2) return std::nullopt;
  if (numbers[1].size() != 2 && numbers[1].size() != 4) return std::nullopt;
  int day = std::stoi(std::string(numbers[0]));
  int year = std::stoi(std::string(numbers[1]));
  if (numbers[1].size() == 2) year += year < 70 ? 2000 : 1900;  // RFC 850's two-digit year
  if (day < 1 || day > 31 || hms[0] > 23 || hms[1] > 59 || hms[2] > 60) return std::nullopt;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month;
  tm.tm_mday = day;
  tm.tm_hour = hms[0];
  tm.tm_min = hms[1];
  tm.tm_sec = hms[2];
  return static_cast<int64_t>(timegm(&tm));
}

// One HTTP/1.1 connection to one origin, plain or TLS.
struct Connection {
  std::string origin;
  std::unique_ptr<beast::tcp_stream> plain;                      // http://
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> secure;  // https://
  beast::flat_buffer buffer;  // bytes read past the last message (none when pooled)
  Clock::time_point idle_since;

  beast::tcp_stream& tcp() { return secure ? secure->next_layer() : *plain; }
  // Calls `f` with the stream HTTP is spoken over; both calls return the same awaitable type.
  template <typename F>
  auto WithStream(F&& f) {
    if (secure) return f(*secure);
    return f(*plain);
  }
};

// The outcome of one request/response exchange on one connection.
struct Exchange {
  Status status;
  bool reusable = false;     // the response ended cleanly and the server keeps the connection
  bool retry_fresh = false;  // failed before any response byte (see Impl::Fetch)
};

}  // namespace

int64_t RetryAfterMs(std::string_view value, std::chrono::system_clock::time_point now) {
  value = Trim(value);
  if (AllDigits(value)) {
    if (value.size() > 9) return int64_t{999'999'999} * 1000;  // absurd but valid: clamp
    return std::stoll(std::string(value)) * 1000;
  }
  auto when = ParseHttpDate(value);
  if (!when) return -1;
  int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  return std::max<int64_t>(0, *when * 1000 - now_ms);
}

class RdapClient::Impl {
 public:
  Impl(asio::any_io_executor ex, const AddressBook& book, std::unique_ptr<ssl::context> ctx,
       std::set<std::string> insecure_hosts)
      : ex_(std::move(ex)), book_(book), ctx_(std::move(ctx)), insecure_hosts_(std::move(insecure_hosts)) {}

  asio::awaitable<HttpAnswer> Get(HttpRequest request);
  size_t IdleConnections() const;

 private:
  asio::awaitable<Status> Fetch(const resolve::Url& url, const HttpRequest& request, Clock::time_point deadline,
                                HttpAnswer* answer);
  asio::awaitable<schema::Result<std::unique_ptr<Connection>>> Connect(const resolve::Url& url,
                                                                       const HttpRequest& request,
                                                                       Clock::time_point deadline);
  asio::awaitable<schema::Result<std::vector<tcp::endpoint>>> Resolve(const std::string& host, uint16_t port,
                                                                      Clock::time_point deadline,
                                                                      const std::string& where);
  asio::awaitable<Status> Handshake(Connection& conn, const std::string& host, Clock::time_point deadline,
                                    const std::string& where);
  asio::awaitable<Exchange> RoundTrip(Connection& conn, const resolve::Url& url, const HttpRequest& request,
                                      Clock::time_point deadline, HttpAnswer* answer);

  std::unique_ptr<Connection> TakeIdle(const std::string& origin);
  void Release(std::unique_ptr<Connection> conn);
  void DropExpired(Clock::time_point now);

  asio::any_io_executor ex_;
  AddressBook book_;
  std::unique_ptr<ssl::context> ctx_;
  std::set<std::string> insecure_hosts_;  // lower case
  // Origin -> idle connections, oldest first. Touched only on ex_ (see the class comment).
  std::map<std::string, std::deque<std::unique_ptr<Connection>>> idle_;
};

schema::Result<std::unique_ptr<RdapClient>> RdapClient::Create(asio::any_io_executor ex, const AddressBook& book,
                                                               const TlsSettings& tls) {
  try {
    auto ctx = std::make_unique<ssl::context>(ssl::context::tls_client);
    if (SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION) != 1) {
      return Status(ErrorCode::kTlsError, "cannot require TLS 1.2 or later");
    }
    error_code ec;
    ctx->set_default_verify_paths(ec);
    if (ec) return Status(ErrorCode::kTlsError, "cannot load the system trust store: " + ec.message());
    if (!tls.ca_file.empty()) {
      std::ifstream probe(tls.ca_file);
      if (!probe) {
        return Status(ErrorCode::kIoError, "ca_file " + tls.ca_file + ": cannot read: " + std::strerror(errno));
      }
      ctx->load_verify_file(tls.ca_file, ec);
      if (ec) {
        return Status(ErrorCode::kTlsError,
                      "ca_file " + tls.ca_file + ": no usable PEM certificate: " + ec.message());
      }
    }
    ctx->set_verify_mode(ssl::verify_peer);
    std::set<std::string> insecure;
    for (const auto& host : tls.insecure_hosts) insecure.insert(schema::AsciiLower(host));
    return std::unique_ptr<RdapClient>(
        new RdapClient(std::make_unique<Impl>(std::move(ex), book, std::move(ctx), std::move(insecure))));
  } catch (const std::exception& e) {
    return Status(ErrorCode::kTlsError, std::string("TLS context: ") + e.what());
  }
}

RdapClient::RdapClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RdapClient::~RdapClient() = default;

asio::awaitable<HttpAnswer> RdapClient::Get(HttpRequest request) {
  const auto started = Clock::now();
  std::string url = request.url;
  try {
    co_return co_await impl_->Get(std::move(request));
  } catch (const std::exception& e) {
    HttpAnswer answer;
    answer.status = Status(ErrorCode::kInternal, url + ": " + e.what());
    answer.final_url = url;
    answer.elapsed = Since(started);
    co_return answer;
  }
}

size_t RdapClient::IdleConnections() const { return impl_->IdleConnections(); }

asio::awaitable<HttpAnswer> RdapClient::Impl::Get(HttpRequest request) {
  const auto started = Clock::now();
  const auto deadline = started + request.timeout;
  HttpAnswer answer;
  answer.final_url = request.url;
  auto finish = [&](Status status) {
    answer.status = std::move(status);
    answer.elapsed = Since(started);
    return std::move(answer);
  };

  auto url = resolve::ParseUrl(request.url);
  if (!url.ok()) co_return finish(Status(ErrorCode::kInvalidQuery, url.status().message()));
  for (int redirects = 0;; ++redirects) {
    answer.final_url = url->ToString();
    Status status = co_await Fetch(*url, request, deadline, &answer);
    if (!status.ok() || !IsRedirect(answer.http_status) || answer.location.empty()) {
      co_return finish(std::move(status));
    }
    auto next = resolve::ResolveUrl(*url, answer.location);
    if (!next.ok()) {
      co_return finish(Status(ErrorCode::kServerError, answer.final_url + ": unusable redirect: " +
                                                           next.status().message()));
    }
    answer.location = next->ToString();
    if (!next->SameOrigin(*url) || redirects >= request.max_redirects) co_return finish(Status::Ok());
    url = std::move(next);
  }
}

// Why a reused connection may be retried once: a server may close an idle
// keep-alive connection at any moment (its idle timeout), and our request can
// cross its FIN on the wire. The server then never read the request; the write
// fails (EPIPE/reset) or the read ends without a single response byte. RFC 9112
// §9.3.1 allows a client to retry an idempotent request (GET) after such a
// close. For the token: a server that closed before reading did no work; in the
// rare case that it read, processed and then died without sending one byte, we
// spend one extra query under the same token, at most once per Get. A fresh
// connection is never retried, nor is a timeout (the deadline is spent), nor
// anything after the first response byte.
asio::awaitable<Status> RdapClient::Impl::Fetch(const resolve::Url& url, const HttpRequest& request,
                                                Clock::time_point deadline, HttpAnswer* answer) {
  std::unique_ptr<Connection> conn = TakeIdle(OriginKey(url));
  bool reused = conn != nullptr;
  for (;;) {
    if (!conn) {
      auto fresh = co_await Connect(url, request, deadline);
      if (!fresh.ok()) co_return fresh.status();
      conn = std::move(*fresh);
    }
    answer->reused_connection = reused;
    Exchange exchange = co_await RoundTrip(*conn, url, request, deadline, answer);
    if (reused && exchange.retry_fresh) {
      conn.reset();
      reused = false;
      continue;
    }
    if (exchange.reusable) Release(std::move(conn));
    co_return exchange.status;
  }
}

asio::awaitable<schema::Result<std::vector<tcp::endpoint>>> RdapClient::Impl::Resolve(
    const std::string& host, uint16_t port, Clock::time_point deadline, const std::string& where) {
  // `deadline` here: the request's, or its connect deadline if sooner.
  error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (!ec) co_return std::vector<tcp::endpoint>{tcp::endpoint(address, port)};

  // DNS: tcp_stream's timeouts do not cover the resolver; a watchdog cancels it.
  auto resolver = std::make_shared<tcp::resolver>(ex_);
  asio::steady_timer watchdog(ex_);
  watchdog.expires_at(deadline);
  watchdog.async_wait([resolver](error_code wait_ec) {
    if (!wait_ec) resolver->cancel();
  });
  auto results = co_await resolver->async_resolve(host, std::to_string(port),
                                                  asio::redirect_error(asio::use_awaitable, ec));
  watchdog.cancel();
  if (ec == asio::error::operation_aborted) co_return Status(ErrorCode::kTimeout, where + ": DNS lookup timed out");
  if (ec) co_return Status(ErrorCode::kUnreachable, where + ": " + ec.message());
  std::vector<tcp::endpoint> endpoints;
  for (const auto& entry : results) endpoints.push_back(entry.endpoint());
  co_return endpoints;
}

asio::awaitable<schema::Result<std::unique_ptr<Connection>>> RdapClient::Impl::Connect(
    const resolve::Url& url, const HttpRequest& request, Clock::time_point deadline) {
  const std::string where = url.scheme + "://" + HostHeader(url);
  auto target = book_.Lookup(url.host, url.port);
  if (!target.ok()) co_return target.status();
  const auto connect_deadline = std::min(deadline, Clock::now() + request.connect_timeout);
  auto endpoints = co_await Resolve(target->first, target->second, connect_deadline, where);
  if (!endpoints.ok()) co_return endpoints.status();

  auto conn = std::make_unique<Connection>();
  conn->origin = OriginKey(url);
  if (url.scheme == "https") {
    conn->secure = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ex_, *ctx_);
  } else {
    conn->plain = std::make_unique<beast::tcp_stream>(ex_);
  }
  error_code ec;
  conn->tcp().expires_at(connect_deadline);
  co_await conn->tcp().async_connect(*endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (ec == beast::error::timeout) co_return Status(ErrorCode::kTimeout, where + ": connect timed out");
  if (ec == asio::error::connection_refused) co_return Status(ErrorCode::kRefused, where + ": connection refused");
  if (ec) co_return Status(ErrorCode::kUnreachable, where + ": " + ec.message());
  if (conn->secure) {
    Status status = co_await Handshake(*conn, url.host, deadline, where);
    if (!status.ok()) co_return status;
  }
  co_return std::move(conn);
}

asio::awaitable<Status> RdapClient::Impl::Handshake(Connection& conn, const std::string& host,
                                                    Clock::time_point deadline, const std::string& where) {
  SSL* ssl = conn.secure->native_handle();
  const bool ip = IsIpLiteral(host);
  // SNI carries host names only (RFC 6066 §3).
  if (!ip && SSL_set_tlsext_host_name(ssl, host.c_str()) != 1) {
    co_return Status(ErrorCode::kTlsError, where + ": cannot set SNI");
  }
  if (insecure_hosts_.count(host)) {
    conn.secure->set_verify_mode(ssl::verify_none);
  } else {
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    int rc = ip ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) : SSL_set1_host(ssl, host.c_str());
    if (rc != 1) co_return Status(ErrorCode::kTlsError, where + ": cannot set the name to verify");
  }
  error_code ec;
  conn.tcp().expires_at(deadline);
  co_await conn.secure->async_handshake(ssl::stream_base::client, asio::redirect_error(asio::use_awaitable, ec));
  if (!ec) co_return Status::Ok();
  if (ec == beast::error::timeout) co_return Status(ErrorCode::kTimeout, where + ": TLS handshake timed out");
  if (long verify = SSL_get_verify_result(ssl); verify != X509_V_OK) {
    co_return Status(ErrorCode::kTlsError, where + ": certificate verify failed: " +
                                               X509_verify_cert_error_string(verify));
  }
  if (ec == asio::error::eof || ec == ssl::error::stream_truncated || ec == asio::error::connection_reset) {
    co_return Status(ErrorCode::kRefused, where + ": closed during the TLS handshake");
  }
  co_return Status(ErrorCode::kTlsError, where + ": TLS handshake: " + ec.message());
}

namespace {

// Types a failed read of a response: `got_bytes` tells whether any byte of it arrived.
Status ReadError(const error_code& ec, bool got_bytes, const std::string& where, const HttpRequest& request) {
  if (ec == beast::error::timeout) {
    return Status(ErrorCode::kTimeout,
                  where + ": no complete answer in " + std::to_string(request.timeout.count()) + " ms");
  }
  if (ec == http::error::header_limit) {
    return Status(ErrorCode::kTooLarge, where + ": header over " + std::to_string(kMaxHeaderBytes) + " bytes");
  }
  if (ec == http::error::body_limit) {
    return Status(ErrorCode::kTooLarge, where + ": body over " + std::to_string(request.max_bytes) + " bytes");
  }
  if (!got_bytes) return Status(ErrorCode::kRefused, where + ": closed without an answer (" + ec.message() + ")");
  if (ec.category() == http::make_error_code(http::error::bad_version).category()) {
    return Status(ErrorCode::kServerError, where + ": garbled HTTP: " + ec.message());
  }
  return Status(ErrorCode::kServerError, where + ": answer cut short: " + ec.message());
}

// The body as the caller wants it: gunzipped when the server says so.
Status DecodeBody(std::string raw, std::string_view encoding, uint32_t max_bytes, std::string* body) {
  encoding = Trim(encoding);
  if (encoding.empty() || schema::EqualsIgnoreCase(encoding, "identity")) {
    *body = std::move(raw);
    return Status::Ok();
  }
  if (schema::EqualsIgnoreCase(encoding, "gzip") || schema::EqualsIgnoreCase(encoding, "x-gzip")) {
    body->clear();
    return Gunzip(raw, max_bytes, body);
  }
  return Status(ErrorCode::kServerError, "unsupported Content-Encoding: " + std::string(encoding));
}

}  // namespace

asio::awaitable<Exchange> RdapClient::Impl::RoundTrip(Connection& conn, const resolve::Url& url,
                                                      const HttpRequest& request, Clock::time_point deadline,
                                                      HttpAnswer* answer) {
  const std::string where = url.scheme + "://" + HostHeader(url);
  answer->http_status = 0;
  answer->body.clear();
  answer->content_type.clear();
  answer->retry_after_ms = -1;
  answer->location.clear();
  Exchange out;
  error_code ec;

  http::request<http::empty_body> req{http::verb::get, url.target, 11};
  req.set(http::field::host, HostHeader(url));
  req.set(http::field::accept, kAccept);
  req.set(http::field::accept_encoding, "gzip");
  req.set(http::field::user_agent, kUserAgent);
  req.set(http::field::connection, "keep-alive");
  conn.tcp().expires_at(deadline);
  co_await conn.WithStream(
      [&](auto& stream) { return http::async_write(stream, req, asio::redirect_error(asio::use_awaitable, ec)); });
  if (ec) {
    out.retry_fresh = ec != beast::error::timeout;
    out.status = ec == beast::error::timeout ? Status(ErrorCode::kTimeout, where + ": send timed out")
                                             : Status(ErrorCode::kRefused, where + ": send failed: " + ec.message());
    co_return out;
  }

  std::optional<http::response_parser<http::string_body>> parser;
  for (int interim = 0;; ++interim) {
    parser.emplace();
    parser->header_limit(kMaxHeaderBytes);
    // Beast 1.74 compares Content-Length with an unset (boost::none) limit as
    // over it; a limit no length reaches lets the header through, checked below.
    parser->body_limit(std::numeric_limits<uint64_t>::max());
    co_await conn.WithStream([&](auto& stream) {
      return http::async_read_header(stream, conn.buffer, *parser, asio::redirect_error(asio::use_awaitable, ec));
    });
    if (ec) {
      const bool got_bytes = parser->got_some() || interim > 0;
      out.retry_fresh = !got_bytes && ec != beast::error::timeout;
      out.status = ReadError(ec, got_bytes, where, request);
      co_return out;
    }
    const int status = parser->get().result_int();
    if (status / 100 != 1 || status == 101) break;
    if (interim == kMaxInterimResponses) {
      out.status = Status(ErrorCode::kServerError, where + ": too many interim (1xx) responses");
      co_return out;
    }
  }

  const auto& head = parser->get();
  answer->http_status = head.result_int();
  answer->content_type = std::string(head[http::field::content_type]);
  answer->location = std::string(head[http::field::location]);
  if (auto it = head.find(http::field::retry_after); it != head.end()) {
    const auto value = it->value();
    answer->retry_after_ms = RetryAfterMs({value.data(), value.size()}, std::chrono::system_clock::now());
  }
  const std::string encoding(head[http::field::content_encoding]);
  if (auto length = parser->content_length(); length && *length > request.max_bytes) {
    // Not read: the connection is dropped with the body still in flight.
    out.status = Status(ErrorCode::kTooLarge, where + ": Content-Length " + std::to_string(*length) + " over " +
                                                  std::to_string(request.max_bytes) + " bytes");
    co_return out;
  }
  parser->body_limit(request.max_bytes);  // no body byte parsed yet (Beast's precondition)

  if (!parser->is_done()) {
    co_await conn.WithStream([&](auto& stream) {
      return http::async_read(stream, conn.buffer, *parser, asio::redirect_error(asio::use_awaitable, ec));
    });
  }
  if (ec) {
    // Keep what arrived, decoded as far as it goes.
    DecodeBody(parser->release().body(), encoding, request.max_bytes, &answer->body).PermitUnchecked();
    out.status = ReadError(ec, /*got_bytes=*/true, where, request);
    co_return out;
  }
  out.reusable = parser->keep_alive() && !parser->need_eof() && conn.buffer.size() == 0;
  out.status = DecodeBody(parser->release().body(), encoding, request.max_bytes, &answer->body);
  if (!out.status.ok()) out.status = Status(out.status.code(), where + ": " + out.status.message());
  co_return out;
}

namespace {

// True if the idle connection can still carry a request: the server has not
// closed it and sent nothing unasked (a close_notify or stray bytes). Peeks
// without blocking and without touching the socket's modes.
bool StillOpen(Connection& conn) {
  auto& socket = conn.tcp().socket();
  if (!socket.is_open()) return false;
  char byte;
  ssize_t n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

}  // namespace

std::unique_ptr<Connection> RdapClient::Impl::TakeIdle(const std::string& origin) {
  DropExpired(Clock::now());
  auto it = idle_.find(origin);
  if (it == idle_.end()) return nullptr;
  std::unique_ptr<Connection> found;
  // Newest first: the most recently used connection is the least likely to
  // have hit the server's idle timeout.
  while (!found && !it->second.empty()) {
    std::unique_ptr<Connection> conn = std::move(it->second.back());
    it->second.pop_back();
    if (StillOpen(*conn)) found = std::move(conn);
  }
  if (it->second.empty()) idle_.erase(it);
  return found;
}

void RdapClient::Impl::Release(std::unique_ptr<Connection> conn) {
  const auto now = Clock::now();
  DropExpired(now);
  conn->tcp().expires_never();  // else the request deadline would close it in the pool
  conn->idle_since = now;
  auto& queue = idle_[conn->origin];
  if (queue.size() >= kMaxIdlePerOrigin) queue.pop_front();
  queue.push_back(std::move(conn));
}

// Lazy expiry, on every take and release: no timer, so nothing outlives the
// client; an idle connection may linger past kIdleTimeout until the next Get,
// which costs one descriptor (the server will have closed its side anyway).
void RdapClient::Impl::DropExpired(Clock::time_point now) {
  for (auto it = idle_.begin(); it != idle_.end();) {
    auto& queue = it->second;
    while (!queue.empty() && now - queue.front()->idle_since >= kIdleTimeout) queue.pop_front();
    it = queue.empty() ? idle_.erase(it) : std::next(it);
  }
}

size_t RdapClient::Impl::IdleConnections() const {
  const auto now = Clock::now();
  size_t n = 0;
  for (const auto& [origin, queue] : idle_) {
    n += std::count_if(queue.begin(), queue.end(),
                       [&](const auto& conn) { return now - conn->idle_since < kIdleTimeout; });
  }
  return n;
}

}  // namespace whoisq::worker
