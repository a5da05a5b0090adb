#include "tools/whois_sim/rdap_endpoint.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <optional>
#include <type_traits>

#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <spdlog/spdlog.h>

#include "schema/ascii.h"
#include "tools/whois_sim/rdap_reply.h"
#include "tools/whois_sim/stream_loops.h"

namespace whoisq::sim {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using asio::ip::tcp;
using boost::system::error_code;

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

namespace {

constexpr const char* kServerHeader = "whoisq-sim";
constexpr size_t kEndlessChunkBytes = 4096;

// Filler streamed by mode "endless", again and again: the start of a JSON
// document that nests without end.
std::string EndlessChunk() {
  std::string chunk = "{\"objectClassName\":\"domain\",\"remarks\":[";
  while (chunk.size() < kEndlessChunkBytes) {
    chunk += "{\"description\":[\"this answer never ends; the client must cut it off\"]},";
  }
  return chunk;
}

// Boost 1.74 Beast speaks boost::string_view.
std::string_view View(beast::string_view s) { return std::string_view(s.data(), s.size()); }

bool IsParseError(const error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_method).category();
}

}  // namespace

// One accepted connection: TLS handshake (TlsStream only), then requests one
// after another until the client closes, asks to close, idles out or breaks
// the protocol. Owned by the handlers that hold its shared_ptr.
template <class Stream>
class RdapSession : public std::enable_shared_from_this<RdapSession<Stream>> {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

  RdapSession(RdapEndpoint& endpoint, tcp::socket socket) requires(!kTls)
      : endpoint_(endpoint), stream_(std::move(socket)), timer_(endpoint.io_) {}
  RdapSession(RdapEndpoint& endpoint, tcp::socket socket, ssl::context& tls) requires kTls
      : endpoint_(endpoint), stream_(std::move(socket), tls), timer_(endpoint.io_) {}

  void Start() {
    ++counters().open_connections;
    if (endpoint_.config_.mode == Mode::kRefuse) {
      Close();
      return;
    }
    if constexpr (kTls) {
      auto self = this->shared_from_this();
      Tcp().expires_after(endpoint_.idle_timeout_);
      stream_.async_handshake(ssl::stream_base::server,
                              [self](error_code ec) { self->OnHandshake(ec); });
    } else {
      ReadRequest();
    }
  }

 private:
  beast::tcp_stream& Tcp() { return beast::get_lowest_layer(stream_); }
  RdapCounters& counters() { return endpoint_.counters_.rdap; }

  void OnHandshake(error_code ec) {
    if (ec) {
      if (ec == beast::error::timeout) {
        ++endpoint_.counters_.idle_timeouts;
      } else {
        ++counters().tls_handshake_failures;
        spdlog::debug("{}: TLS handshake failed: {}", endpoint_.config_.name, ec.message());
      }
      Close();
      return;
    }
    const char* sni = SSL_get_servername(stream_.native_handle(), TLSEXT_NAMETYPE_host_name);
    const std::string name = sni ? sni : "";
    ++counters().sni[name];
    if (!schema::EqualsIgnoreCase(name, endpoint_.config_.name)) ++counters().bad_sni;
    ReadRequest();
  }

  void ReadRequest() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(endpoint_.max_request_head_));
    Tcp().expires_after(endpoint_.idle_timeout_);
    auto self = this->shared_from_this();
    http::async_read(stream_, buffer_, *parser_,
                     [self](error_code ec, size_t) { self->OnRequest(ec); });
  }

  void OnRequest(error_code ec) {
    head_ = false;
    keep_alive_ = false;
    gzip_ = false;
    if (ec == beast::error::timeout) {
      ++endpoint_.counters_.idle_timeouts;
      Close();
      return;
    }
    if (ec == http::error::header_limit) {
      ++endpoint_.counters_.bad_requests;
      Send(ErrorReply(431, "Request Header Fields Too Large",
                      "request head longer than " + std::to_string(endpoint_.max_request_head_) +
                          " bytes"));
      return;
    }
    if (ec && IsParseError(ec) && ec != http::error::end_of_stream &&
        ec != http::error::partial_message) {
      ++endpoint_.counters_.bad_requests;
      Send(ErrorReply(400, "Bad Request", ec.message()));
      return;
    }
    if (ec) {  // the client closed or broke the connection
      Close();
      return;
    }
    const auto& request = parser_->get();
    head_ = request.method() == http::verb::head;
    keep_alive_ = request.keep_alive();
    gzip_ = endpoint_.config_.gzip && AcceptsGzip(View(request[http::field::accept_encoding]));
    if (!HostMatches(View(request[http::field::host]), endpoint_.config_.name)) {
      ++counters().bad_host;
      Send(ErrorReply(400, "Bad Request", "Host must be " + endpoint_.config_.name));
      return;
    }
    if (request.method() != http::verb::get && !head_) {
      ++endpoint_.counters_.bad_requests;
      allow_ = true;
      Send(ErrorReply(405, "Method Not Allowed", "only GET and HEAD"));
      return;
    }
    query_ = ParseRdapTarget(View(request.target()));
    if (endpoint_.Admit(query_) != Verdict::kServed) {
      Send(ThrottleReply(endpoint_.config_.throttle_text, query_));
      return;
    }
    holds_slot_ = true;
    AfterDelay(timer_, endpoint_.ServiceDelay(), [self = this->shared_from_this()] { self->Respond(); });
  }

  // An admitted request, after its service delay.
  void Respond() {
    switch (endpoint_.config_.mode) {
      case Mode::kNormal:
        Send(AnswerRdap(endpoint_.answers_, query_));
        break;
      case Mode::kSilent:
        WatchForClientClose();
        break;
      case Mode::kEndless:
        WriteEndless();
        break;
      case Mode::kSlow:
        WriteSlow(AnswerRdap(endpoint_.answers_, query_));
        break;
      case Mode::kBinary: {
        RdapReply noise;
        noise.body = endpoint_.Noise();
        Send(std::move(noise));
        break;
      }
      case Mode::kError:
        Send(ErrorReply(503, "Service Unavailable", "the server is out of order (mode \"error\")"));
        break;
      case Mode::kRefuse:
        Close();
        break;
    }
  }

  // Status line and headers of `reply` on `response`; returns the body to
  // send (gzipped when allowed), which a HEAD answer leaves out.
  template <class Body>
  std::string Head(http::response<Body>& response, RdapReply& reply) {
    response.version(11);
    response.result(static_cast<unsigned>(reply.status));
    response.set(http::field::server, kServerHeader);
    if (!reply.content_type.empty()) response.set(http::field::content_type, reply.content_type);
    if (!reply.location.empty()) response.set(http::field::location, reply.location);
    if ((reply.status == 429 || reply.status == 503) && endpoint_.config_.retry_after_s > 0) {
      response.set(http::field::retry_after, std::to_string(endpoint_.config_.retry_after_s));
    }
    if (allow_) response.set(http::field::allow, "GET, HEAD");
    allow_ = false;
    std::string body = std::move(reply.body);
    if (gzip_ && !body.empty()) {
      body = Gzip(body);
      response.set(http::field::content_encoding, "gzip");
    }
    response.keep_alive(keep_alive_);
    ++counters().statuses[reply.status];
    return body;
  }

  // Writes a whole response; then the next request, or the end.
  void Send(RdapReply reply) {
    response_ = {};
    std::string body = Head(response_, reply);
    response_.content_length(body.size());
    if (!head_) response_.body() = std::move(body);
    Tcp().expires_after(endpoint_.idle_timeout_);
    auto self = this->shared_from_this();
    http::async_write(stream_, response_,
                      [self](error_code ec, size_t) { self->AfterResponse(ec); });
  }

  // The response is written: its slot ends here, before the server reads
  // anything the client sends after seeing the response.
  void AfterResponse(error_code ec) {
    ReleaseSlot();
    if (ec) {
      Close();
    } else if (!keep_alive_) {
      LingeringClose();
    } else {
      ReadRequest();
    }
  }

  // Mode "silent": the server never answers; the slot ends when the client closes.
  void WatchForClientClose() {
    Tcp().expires_never();
    DrainUntilError(stream_, asio::buffer(sink_),
                    [self = this->shared_from_this()](error_code) { self->Close(); });
  }

  // Mode "endless": 200, chunked, chunks until the client goes away.
  void WriteEndless() {
    RdapReply reply;
    header_.emplace();
    Head(*header_, reply);
    header_->chunked(true);
    chunk_ = EndlessChunk();
    serializer_.emplace(*header_);
    Tcp().expires_never();
    auto self = this->shared_from_this();
    http::async_write_header(stream_, *serializer_, [self](error_code ec, size_t) {
      if (ec || self->head_) {
        self->Close();
        return;
      }
      WriteForever(self->stream_, http::make_chunk(asio::buffer(self->chunk_)),
                   [self](error_code) { self->Close(); });
    });
  }

  // Mode "slow": the headers at once, then the body one byte per slow_interval.
  void WriteSlow(RdapReply reply) {
    header_.emplace();
    slow_body_ = Head(*header_, reply);
    header_->content_length(slow_body_.size());
    if (head_) slow_body_.clear();
    serializer_.emplace(*header_);
    Tcp().expires_never();
    auto self = this->shared_from_this();
    http::async_write_header(stream_, *serializer_, [self](error_code ec, size_t) {
      if (ec) {
        self->Close();
        return;
      }
      WriteOneBytePerInterval(self->stream_, self->timer_, self->slow_body_,
                              self->endpoint_.slow_interval_, 0,
                              [self](error_code ec) { self->AfterResponse(ec); });
    });
  }

  // The server ends the connection after a response: half-close, then read
  // and drop what the client still sends, so the close does not reset the
  // connection before the client has read the response.
  void LingeringClose() {
    error_code ignored;
    Tcp().socket().shutdown(tcp::socket::shutdown_send, ignored);
    Tcp().expires_after(endpoint_.idle_timeout_);
    DrainUntilError(Tcp(), asio::buffer(sink_),
                    [self = this->shared_from_this()](error_code) { self->Close(); });
  }

  void ReleaseSlot() {
    if (holds_slot_) {
      holds_slot_ = false;
      endpoint_.limiter_.Release();
    }
  }

  // Closes the connection (no TLS close_notify: a simulated server may be rude).
  void Close() {
    if (closed_) return;
    closed_ = true;
    ReleaseSlot();
    --counters().open_connections;
    timer_.cancel();
    error_code ignored;
    Tcp().socket().shutdown(tcp::socket::shutdown_both, ignored);
    Tcp().close();
  }

  RdapEndpoint& endpoint_;
  Stream stream_;
  asio::steady_timer timer_;  // service delay, then slow pacing
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::empty_body>> parser_;
  http::response<http::string_body> response_;
  std::optional<http::response<http::empty_body>> header_;  // endless and slow
  std::optional<http::response_serializer<http::empty_body>> serializer_;
  std::string slow_body_;
  std::string chunk_;
  char sink_[512];
  Query query_;
  bool head_ = false;        // the request is HEAD: no body in the response
  bool keep_alive_ = false;  // the connection stays open after the response
  bool gzip_ = false;        // gzip enabled and accepted by the request
  bool allow_ = false;       // the next response carries "Allow" (405)
  bool holds_slot_ = false;
  bool closed_ = false;
};

RdapEndpoint::RdapEndpoint(asio::io_context& io, const ServerConfig& config, const SimConfig& sim)
    : Endpoint(io, config, sim), max_request_head_(sim.max_request_head) {}

RdapEndpoint::~RdapEndpoint() = default;

std::unique_ptr<RdapEndpoint> RdapEndpoint::Create(asio::io_context& io,
                                                   const asio::ip::address& address,
                                                   const ServerConfig& config,
                                                   const SimConfig& sim, std::string* error) {
  std::unique_ptr<RdapEndpoint> endpoint(new RdapEndpoint(io, config, sim));
  if (config.tls && !endpoint->LoadTls(error)) return nullptr;
  if (!endpoint->Bind(address, error)) return nullptr;
  return endpoint;
}

bool RdapEndpoint::LoadTls(std::string* error) {
  tls_ = std::make_unique<ssl::context>(ssl::context::tls_server);
  tls_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                    ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  error_code ec;
  tls_->use_certificate_chain(asio::buffer(config_.tls_cert_pem), ec);
  if (ec) {
    *error = "server " + config_.name + ": tls_cert " + config_.tls_cert_file + ": " + ec.message();
    return false;
  }
  tls_->use_private_key(asio::buffer(config_.tls_key_pem), ssl::context::pem, ec);
  if (ec) {
    *error = "server " + config_.name + ": tls_key " + config_.tls_key_file + ": " + ec.message();
    return false;
  }
  if (SSL_CTX_check_private_key(tls_->native_handle()) != 1) {
    ERR_clear_error();
    *error = "server " + config_.name + ": tls_key " + config_.tls_key_file +
             " does not match tls_cert " + config_.tls_cert_file;
    return false;
  }
  return true;
}

void RdapEndpoint::OnAccept(tcp::socket socket) {
  if (tls_) {
    std::make_shared<RdapSession<TlsStream>>(*this, std::move(socket), *tls_)->Start();
  } else {
    std::make_shared<RdapSession<PlainStream>>(*this, std::move(socket))->Start();
  }
}

}  // namespace whoisq::sim
