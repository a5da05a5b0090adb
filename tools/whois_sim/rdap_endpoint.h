// One simulated RDAP server: HTTP/1.1 with keep-alive, optionally over TLS,
// with the same limits, answers and counters as a WHOIS server.
#pragma once

#include <memory>
#include <string>

#include "tools/whois_sim/endpoint.h"

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace whoisq::sim {

template <class Stream>
class RdapSession;

// Serves one [[server]] entry with protocol = "rdap" (see docs/sim.md for the
// behaviour). Same threading and lifetime rules as Endpoint.
class RdapEndpoint : public Endpoint {
 public:
  // Binds `address`:config.port and, with TLS, loads the certificate chain
  // and key. Returns nullptr and sets `*error` on failure.
  static std::unique_ptr<RdapEndpoint> Create(boost::asio::io_context& io,
                                              const boost::asio::ip::address& address,
                                              const ServerConfig& config,
                                              const SimConfig& sim, std::string* error);
  ~RdapEndpoint() override;

 private:
  template <class Stream>
  friend class RdapSession;

  RdapEndpoint(boost::asio::io_context& io, const ServerConfig& config, const SimConfig& sim);
  bool LoadTls(std::string* error);
  void OnAccept(boost::asio::ip::tcp::socket socket) override;

  size_t max_request_head_;
  std::unique_ptr<boost::asio::ssl::context> tls_;  // null without TLS
};

}  // namespace whoisq::sim
