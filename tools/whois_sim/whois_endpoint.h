// One simulated WHOIS server (RFC 3912): a listening socket, its connections,
// its limits and its answers.
#pragma once

#include <memory>
#include <string>

#include "tools/whois_sim/endpoint.h"

namespace whoisq::sim {

class WhoisConnection;

// Serves one [[server]] entry with protocol = "whois". Same threading and
// lifetime rules as Endpoint.
class WhoisEndpoint : public Endpoint {
 public:
  // Binds `address`:config.port. Returns nullptr and sets `*error` on failure.
  static std::unique_ptr<WhoisEndpoint> Create(boost::asio::io_context& io,
                                               const boost::asio::ip::address& address,
                                               const ServerConfig& config,
                                               const SimConfig& sim, std::string* error);

 private:
  friend class WhoisConnection;

  WhoisEndpoint(boost::asio::io_context& io, const ServerConfig& config, const SimConfig& sim);
  void OnAccept(boost::asio::ip::tcp::socket socket) override;

  size_t max_line_;
};

}  // namespace whoisq::sim
