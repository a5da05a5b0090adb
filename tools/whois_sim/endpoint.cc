#include "tools/whois_sim/endpoint.h"

#include <spdlog/spdlog.h>

namespace whoisq::sim {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr std::chrono::milliseconds kAcceptRetryDelay{50};
constexpr int kBinaryMinBytes = 256;
constexpr int kBinaryMaxBytes = 2048;

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kServed: return "served";
    case Verdict::kConcurrency: return "concurrency";
    case Verdict::kRate: return "rate";
    case Verdict::kDaily: return "daily";
  }
  return "?";
}

}  // namespace

error_code Listen(tcp::acceptor& acceptor, const tcp::endpoint& where, uint16_t* port) {
  error_code ec;
  acceptor.open(where.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(where, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) *port = acceptor.local_endpoint(ec).port();
  return ec;
}

Endpoint::Endpoint(asio::io_context& io, const ServerConfig& config, const SimConfig& sim)
    : io_(io),
      config_(config),
      idle_timeout_(sim.idle_timeout),
      slow_interval_(sim.slow_interval),
      answers_(config.answers, config.not_found),
      limiter_(config.limits),
      rng_(std::random_device{}()),
      acceptor_(io),
      retry_timer_(io) {}

bool Endpoint::Bind(const asio::ip::address& address, std::string* error) {
  const error_code ec = Listen(acceptor_, tcp::endpoint(address, config_.port), &port_);
  if (ec) {
    *error = "server " + config_.name + ": cannot listen on " + address.to_string() + ":" +
             std::to_string(config_.port) + ": " + ec.message();
    return false;
  }
  return true;
}

void Endpoint::Stop() {
  stopped_ = true;
  error_code ignored;
  acceptor_.close(ignored);
  retry_timer_.cancel();
}

void Endpoint::Accept() {
  if (stopped_) return;
  acceptor_.async_accept([this](error_code ec, tcp::socket socket) {
    if (stopped_) return;
    if (ec) {
      // Out of descriptors and similar: back off instead of spinning.
      spdlog::warn("{}: accept failed: {}", config_.name, ec.message());
      retry_timer_.expires_after(kAcceptRetryDelay);
      retry_timer_.async_wait([this](error_code wait_ec) {
        if (!wait_ec) Accept();
      });
      return;
    }
    ++counters_.connections;
    OnAccept(std::move(socket));
    Accept();
  });
}

Verdict Endpoint::Admit(const Query& query) {
  ++counters_.queries;
  ++counters_.queries_by_name[query.name];
  const Verdict verdict = limiter_.Admit(NowInstant());
  spdlog::debug("{}: query \"{}\" -> {} (open {})", config_.name, query.line,
                VerdictName(verdict), limiter_.open());
  switch (verdict) {
    case Verdict::kServed: ++counters_.served; break;
    case Verdict::kConcurrency: ++counters_.breaches_concurrency; break;
    case Verdict::kRate: ++counters_.breaches_rate; break;
    case Verdict::kDaily: ++counters_.breaches_daily; break;
  }
  if (verdict != Verdict::kServed) {
    spdlog::info("{}: {} breach on query \"{}\"", config_.name, VerdictName(verdict), query.name);
  }
  return verdict;
}

std::chrono::milliseconds Endpoint::ServiceDelay() {
  if (config_.delay_max <= config_.delay_min) return config_.delay_min;
  std::uniform_int_distribution<int64_t> dist(config_.delay_min.count(), config_.delay_max.count());
  return std::chrono::milliseconds(dist(rng_));
}

std::string Endpoint::Noise() {
  std::uniform_int_distribution<int> size(kBinaryMinBytes, kBinaryMaxBytes);
  std::uniform_int_distribution<int> byte(0, 255);
  std::string noise(static_cast<size_t>(size(rng_)), '\0');
  for (char& c : noise) c = static_cast<char>(byte(rng_));
  return noise;
}

nlohmann::json Endpoint::Stats() const {
  nlohmann::json j;
  j["port"] = port_;
  j["protocol"] = std::string(ProtocolName(config_.protocol));
  j["mode"] = std::string(ModeName(config_.mode));
  j["connections"] = counters_.connections;
  j["queries"] = counters_.queries;
  j["served"] = counters_.served;
  j["breaches_concurrency"] = counters_.breaches_concurrency;
  j["breaches_rate"] = counters_.breaches_rate;
  j["breaches_daily"] = counters_.breaches_daily;
  j["bad_requests"] = counters_.bad_requests;
  j["idle_timeouts"] = counters_.idle_timeouts;
  j["open"] = limiter_.open();
  j["max_concurrent_seen"] = limiter_.max_open_seen();
  j["served_today"] = limiter_.served_today();
  j["queries_by_name"] = nlohmann::json::object();
  for (const auto& [name, count] : counters_.queries_by_name) j["queries_by_name"][name] = count;
  if (config_.protocol == Protocol::kRdap) {
    const RdapCounters& r = counters_.rdap;
    j["tls"] = config_.tls;
    j["open_connections"] = r.open_connections;
    j["bad_host"] = r.bad_host;
    j["bad_sni"] = r.bad_sni;
    j["tls_handshake_failures"] = r.tls_handshake_failures;
    j["statuses"] = nlohmann::json::object();
    for (const auto& [status, count] : r.statuses) j["statuses"][std::to_string(status)] = count;
    j["sni"] = nlohmann::json::object();
    for (const auto& [name, count] : r.sni) j["sni"][name] = count;
  }
  return j;
}

void Endpoint::Reset() {
  // Open connections are real and stay counted, as the limiter's open slots.
  const uint64_t open_connections = counters_.rdap.open_connections;
  counters_ = ServerCounters{};
  counters_.rdap.open_connections = open_connections;
  limiter_.Reset();
}

}  // namespace whoisq::sim
