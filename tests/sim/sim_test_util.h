// Test helpers for whoisq-sim: a blocking loopback TCP client with a deadline
// on every read, and a SimServer running in-process on its own thread.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tools/whois_sim/sim_config.h"
#include "tools/whois_sim/sim_server.h"

namespace whoisq::sim::testing {

using std::chrono::milliseconds;
using TestClock = std::chrono::steady_clock;

constexpr auto kIoTimeout = milliseconds(3000);

// A connected loopback TCP client with deadlines on every operation.
class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~Client() { Close(); }
  bool ok() const { return fd_ >= 0; }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  void ShutdownWrite() { ::shutdown(fd_, SHUT_WR); }
  bool Send(const std::string& data) {
    return ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size());
  }
  // Reads until the server closes. Returns nullopt on deadline.
  std::optional<std::string> ReadToEnd(milliseconds timeout = kIoTimeout) {
    std::string out;
    const auto deadline = TestClock::now() + timeout;
    for (;;) {
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - TestClock::now()).count();
      if (left <= 0) return std::nullopt;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
      char buf[4096];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return out;
      out.append(buf, static_cast<size_t>(n));
    }
  }
  // Reads until `want` bytes arrived, the server closed (sets *closed) or
  // `timeout` passed.
  std::string ReadUpTo(size_t want, milliseconds timeout, bool* closed) {
    std::string out;
    *closed = false;
    const auto deadline = TestClock::now() + timeout;
    while (out.size() < want) {
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - TestClock::now()).count();
      if (left <= 0) break;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
      char buf[4096];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        *closed = true;
        break;
      }
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }
  // True if nothing (no byte, no close) arrives within `wait`.
  bool StaysQuiet(milliseconds wait) {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(wait.count())) == 0;
  }

 private:
  int fd_ = -1;
};

// Connects, sends `line`, returns everything until the server closes.
inline std::optional<std::string> Ask(uint16_t port, const std::string& line) {
  Client client(port);
  if (!client.ok() || !client.Send(line)) return std::nullopt;
  return client.ReadToEnd();
}

// Runs a SimServer on its own thread for the lifetime of the object.
class RunningSim {
 public:
  explicit RunningSim(const std::string& toml, const std::string& base_dir = "/tmp") {
    std::string error;
    auto config = ParseSimConfig(toml, base_dir, &error);
    EXPECT_TRUE(config) << error;
    if (!config) return;
    Start(*config);
  }
  explicit RunningSim(const SimConfig& config) { Start(config); }
  ~RunningSim() {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }
  bool ok() const { return server_ != nullptr; }
  uint16_t port(const std::string& host) const { return ports_.at(host); }
  uint16_t control() const { return control_; }
  nlohmann::json Stats(const std::string& host) const {
    auto reply = Ask(control_, "stats\n");
    if (!reply) return nullptr;
    return nlohmann::json::parse(*reply, nullptr, false)["servers"][host];
  }

 private:
  void Start(const SimConfig& config) {
    std::string error;
    server_ = SimServer::Create(config, &error);
    ASSERT_TRUE(server_) << error;
    ports_ = server_->ports();
    control_ = server_->control_port();
    thread_ = std::thread([this] { server_->Run(); });
  }

  std::unique_ptr<SimServer> server_;
  std::map<std::string, uint16_t> ports_;
  uint16_t control_ = 0;
  std::thread thread_;
};

}  // namespace whoisq::sim::testing
