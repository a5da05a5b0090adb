// The worker daemon: connects to the broker's worker socket, runs the jobs it
// is sent (one WHOIS hop each, many at once on one Asio thread), and returns
// each answer parsed, with the referral it names. Holds no state the broker
// cannot rebuild: a worker may die at any time; its tokens expire.
#pragma once

#include <atomic>
#include <memory>

#include "config/options.h"
#include "schema/status.h"

namespace whoisq::worker {

class Worker {
 public:
  // Validates the options; binds nothing yet.
  static schema::Result<std::unique_ptr<Worker>> Create(const config::Options& options);
  ~Worker();

  // Runs until Stop(). Reconnects when the broker goes silent. Returns the
  // reason it stopped (ok after Stop()).
  schema::Status Run();
  // Asks Run() to return within ~100 ms; safe from any thread or a signal handler.
  void Stop() { stop_.store(true); }

 private:
  explicit Worker(const config::Options& options);
  class Impl;
  std::unique_ptr<Impl> impl_;
  std::atomic<bool> stop_{false};
};

}  // namespace whoisq::worker
