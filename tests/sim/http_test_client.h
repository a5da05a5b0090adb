// A blocking HTTP/1.1 client for whoisq-sim's RDAP tests: plain or TLS (chain
// checked against a given CA, name checked, SNI chosen), one connection,
// every operation bounded by a deadline. Built on Beast; test-only.
#pragma once

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace whoisq::sim::testing {

namespace http = boost::beast::http;
using HttpResponse = http::response<http::string_body>;

struct HttpClientOptions {
  bool tls = false;
  std::string ca_file;      // CA to trust (TLS); empty = trust nothing
  std::string sni;          // SNI sent (TLS); empty = none
  std::string verify_name;  // name the certificate must carry; empty = the SNI
};

class HttpClient {
 public:
  static constexpr std::chrono::milliseconds kTimeout{3000};

  HttpClient(uint16_t port, HttpClientOptions options)
      : port_(port), options_(std::move(options)), socket_(io_) {
    if (options_.tls) {
      if (!options_.ca_file.empty()) context_.load_verify_file(options_.ca_file);
      context_.set_verify_mode(boost::asio::ssl::verify_peer);
      tls_.emplace(io_, context_);
    }
  }

  // Connects to 127.0.0.1 and, with TLS, shakes hands. Returns the error.
  boost::system::error_code Connect() {
    boost::system::error_code ec;
    Socket().connect({boost::asio::ip::make_address("127.0.0.1"), port_}, ec);
    if (ec || !tls_) return ec;
    SSL* ssl = tls_->native_handle();
    if (!options_.sni.empty()) SSL_set_tlsext_host_name(ssl, options_.sni.c_str());
    const std::string name = options_.verify_name.empty() ? options_.sni : options_.verify_name;
    X509_VERIFY_PARAM_set1_host(SSL_get0_param(ssl), name.c_str(), 0);
    return Run([&](auto handler) {
      tls_->async_handshake(boost::asio::ssl::stream_base::client, handler);
    });
  }

  // A GET (or `method`) for `target` with Host `host` and `headers`.
  static http::request<http::empty_body> MakeRequest(
      const std::string& target, const std::string& host,
      std::vector<std::pair<http::field, std::string>> headers = {},
      http::verb method = http::verb::get) {
    http::request<http::empty_body> request{method, target, 11};
    if (!host.empty()) request.set(http::field::host, host);
    for (auto& [field, value] : headers) request.set(field, value);
    return request;
  }

  boost::system::error_code Send(const http::request<http::empty_body>& request) {
    return Run([&](auto handler) {
      WithStream([&](auto& stream) { http::async_write(stream, request, handler); });
    });
  }

  boost::system::error_code SendRaw(const std::string& bytes) {
    return Run([&](auto handler) {
      WithStream([&](auto& stream) {
        boost::asio::async_write(stream, boost::asio::buffer(bytes), handler);
      });
    });
  }

  // Reads one response (no body expected after a HEAD).
  std::optional<HttpResponse> Read(bool head = false) {
    http::response_parser<http::string_body> parser;
    parser.body_limit(16 << 20);
    parser.skip(head);
    error_ = Run([&](auto handler) {
      WithStream([&](auto& stream) { http::async_read(stream, buffer_, parser, handler); });
    });
    if (error_) return std::nullopt;
    return parser.release();
  }

  // Send() then Read().
  std::optional<HttpResponse> Ask(const http::request<http::empty_body>& request) {
    error_ = Send(request);
    if (error_) return std::nullopt;
    return Read(request.method() == http::verb::head);
  }

  // Reads raw bytes (after what Read() buffered) until `want` arrived, the
  // peer closed (*closed = true) or `wait` passed.
  std::string ReadRaw(size_t want, std::chrono::milliseconds wait, bool* closed) {
    std::string out(static_cast<const char*>(buffer_.data().data()), buffer_.size());
    buffer_.consume(buffer_.size());
    *closed = false;
    const auto deadline = std::chrono::steady_clock::now() + wait;
    char chunk[16384];
    while (out.size() < want) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      size_t n = 0;
      const auto ec = Run(
          [&](auto handler) {
            WithStream([&](auto& stream) {
              stream.async_read_some(boost::asio::buffer(chunk),
                                     [handler, &n](boost::system::error_code ec, size_t got) {
                                       n = got;
                                       handler(ec, got);
                                     });
            });
          },
          left);
      if (ec == boost::asio::error::timed_out) break;
      out.append(chunk, n);
      if (ec) {
        *closed = true;
        break;
      }
    }
    return out;
  }

  // True if the server closes the connection within `wait` (bytes before the
  // close are dropped).
  bool ServerCloses(std::chrono::milliseconds wait = kTimeout) {
    bool closed = false;
    ReadRaw(SIZE_MAX, wait, &closed);
    return closed;
  }

  void Close() {
    boost::system::error_code ignored;
    Socket().close(ignored);
  }

  boost::system::error_code error() const { return error_; }

 private:
  boost::asio::ip::tcp::socket& Socket() { return tls_ ? tls_->next_layer() : socket_; }

  template <class F>
  void WithStream(F f) {
    if (tls_) {
      f(*tls_);
    } else {
      f(socket_);
    }
  }

  // Starts one operation with a completion handler and runs the io_context
  // until it completes or `wait` passes (then the socket is closed and
  // timed_out returned).
  template <class Start>
  boost::system::error_code Run(Start start, std::chrono::milliseconds wait = kTimeout) {
    std::optional<boost::system::error_code> result;
    start([&result](boost::system::error_code ec, auto...) { result = ec; });
    io_.restart();
    io_.run_for(wait);
    if (result) return *result;
    boost::system::error_code ignored;
    Socket().cancel(ignored);
    io_.restart();
    io_.run();
    return boost::asio::error::timed_out;
  }

  uint16_t port_;
  HttpClientOptions options_;
  boost::asio::io_context io_;
  boost::asio::ssl::context context_{boost::asio::ssl::context::tls_client};
  boost::asio::ip::tcp::socket socket_;  // plain HTTP
  std::optional<boost::asio::ssl::stream<boost::asio::ip::tcp::socket>> tls_;
  boost::beast::flat_buffer buffer_;
  boost::system::error_code error_;
};

}  // namespace whoisq::sim::testing
