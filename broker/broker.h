// The broker daemon: accepts lookups from clients (ROUTER), answers from the
// store or coalesces them into one lookup, walks each lookup's referral chain
// one token-gated hop at a time through the scheduler and the workers (ROUTER),
// stores and publishes results (PUB). Every accepted lookup is journaled until
// answered, so a restarted broker runs it again.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "config/options.h"
#include "schema/status.h"

namespace whoisq::broker {

// The endpoints actually bound (port 0 / '*' resolved), for tests and logs.
struct BoundEndpoints {
  std::string frontend;
  std::string publish;
  std::string workers;
};

class Broker {
 public:
  // Validates the options and opens the store; binds nothing yet.
  static schema::Result<std::unique_ptr<Broker>> Create(const config::Options& options);
  ~Broker();

  // Binds the three sockets, then `on_bound` is called once with the real
  // endpoints; runs until Stop(). Returns why it stopped.
  schema::Status Run(const std::function<void(const BoundEndpoints&)>& on_bound = {});
  // Asks Run() to return soon; safe from any thread or a signal handler.
  void Stop() { stop_.store(true); }

  class Impl;

 private:
  explicit Broker(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  std::atomic<bool> stop_{false};
};

}  // namespace whoisq::broker
