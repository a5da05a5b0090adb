// What every simulated server has, whatever its protocol: the listening
// socket and its accept loop, the limits, the answers and the counters.
#pragma once

#include <chrono>
#include <cstdint>
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

// Opens, binds and listens `acceptor` on `where` (reuse_address set); sets
// `*port` to the bound port. Returns the first error.
boost::system::error_code Listen(boost::asio::ip::tcp::acceptor& acceptor,
                                 const boost::asio::ip::tcp::endpoint& where, uint16_t* port);

// Base of WhoisEndpoint and RdapEndpoint. Lives on one io_context and is used
// from that io_context's thread only. Must outlive its connections' handlers,
// i.e. the io_context must have stopped running before it is destroyed.
class Endpoint {
 public:
  virtual ~Endpoint() = default;
  Endpoint(const Endpoint&) = delete;
  Endpoint& operator=(const Endpoint&) = delete;

  const std::string& name() const { return config_.name; }
  uint16_t port() const { return port_; }

  // Starts accepting.
  void Start() { Accept(); }
  // Stops accepting; open connections are left to the io_context's end.
  void Stop();

  // Counters as a JSON object (see docs/sim.md).
  nlohmann::json Stats() const;
  // Zeroes the counters and the limiter history (open connections stay).
  void Reset();

 protected:
  Endpoint(boost::asio::io_context& io, const ServerConfig& config, const SimConfig& sim);

  // Binds `address`:config.port. Returns false and sets `*error` on failure.
  bool Bind(const boost::asio::ip::address& address, std::string* error);

  // Counts `query` (queries, queries_by_name) and runs it through the
  // limiter, counting the verdict. On kServed the caller holds one slot and
  // must call limiter_.Release() exactly once.
  Verdict Admit(const Query& query);

  // Service time of one admitted query: delay_ms, or uniform in
  // [delay_min_ms, delay_max_ms].
  std::chrono::milliseconds ServiceDelay();

  // Random bytes for mode "binary" (256..2048 of them).
  std::string Noise();

  // Takes a freshly accepted connection (already counted in `connections`).
  virtual void OnAccept(boost::asio::ip::tcp::socket socket) = 0;

  boost::asio::io_context& io_;
  const ServerConfig config_;
  const std::chrono::milliseconds idle_timeout_;
  const std::chrono::milliseconds slow_interval_;
  const AnswerBook answers_;
  Limiter limiter_;
  ServerCounters counters_;
  std::mt19937_64 rng_;

 private:
  void Accept();

  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;  // backs off accept errors such as EMFILE
  uint16_t port_ = 0;
  bool stopped_ = false;
};

}  // namespace whoisq::sim
