// One simulated WHOIS server (RFC 3912): a listening socket, its connections,
// its limits and its answers.
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "tools/whois_sim/answer_book.h"
#include "tools/whois_sim/limiter.h"
#include "tools/whois_sim/server_counters.h"
#include "tools/whois_sim/sim_config.h"

namespace whoisq::sim {

class WhoisConnection;

// Serves one [[server]] entry. Lives on one io_context and is used from that
// io_context's thread only. Must outlive its connections' handlers, i.e. the
// io_context must have stopped running before the endpoint is destroyed.
class WhoisEndpoint {
 public:
  // Binds `address`:config.port. Returns nullptr and sets `*error` on failure.
  static std::unique_ptr<WhoisEndpoint> Create(boost::asio::io_context& io,
                                               const boost::asio::ip::address& address,
                                               const ServerConfig& config,
                                               const SimConfig& sim, std::string* error);

  const std::string& name() const { return config_.name; }
  uint16_t port() const { return port_; }

  // Starts accepting.
  void Start();
  // Stops accepting; open connections are left to the io_context's end.
  void Stop();

  // Counters as a JSON object (see docs/sim.md).
  nlohmann::json Stats() const;
  // Zeroes the counters and the limiter history (open connections stay).
  void Reset();

 private:
  friend class WhoisConnection;

  WhoisEndpoint(boost::asio::io_context& io, const ServerConfig& config, const SimConfig& sim);
  void Accept();

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;  // backs off accept errors such as EMFILE
  ServerConfig config_;
  std::chrono::milliseconds idle_timeout_;
  size_t max_line_;
  std::chrono::milliseconds slow_interval_;
  AnswerBook answers_;
  Limiter limiter_;
  ServerCounters counters_;
  std::mt19937_64 rng_;
  uint16_t port_ = 0;
  bool stopped_ = false;
};

}  // namespace whoisq::sim
