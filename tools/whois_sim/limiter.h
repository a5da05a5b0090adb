// Limit accounting of one simulated WHOIS server: concurrency, GCRA rate and a
// per-UTC-day quota. Pure logic with the clock injected, so tests drive it
// without sleeping.
#pragma once

#include <chrono>
#include <cstdint>

namespace whoisq::sim {

// Limits of one server; 0 disables a limit.
struct Limits {
  int concurrency = 0;        // max queries in service at once
  double per_second = 0.0;    // GCRA emission rate
  int burst = 1;              // GCRA burst (>= 1)
  int64_t daily = 0;          // conforming queries per UTC day
  std::chrono::nanoseconds slack{std::chrono::milliseconds(25)};  // rate tolerance
};

// A moment as the limiter sees it: a monotonic time for the rate and the UTC
// day number (days since 1970-01-01) for the daily quota.
struct Instant {
  std::chrono::nanoseconds mono{0};
  int64_t utc_day = 0;
};

// Reads the real clocks.
Instant NowInstant();

enum class Verdict { kServed, kConcurrency, kRate, kDaily };

// Decides whether a query may be served and keeps the state behind it.
// A breaching query (any kind) changes no state: it takes no concurrency
// slot, does not advance the GCRA TAT and does not count against the daily
// quota. Checks run in the order concurrency, rate, daily; the first failing
// one names the breach. Not thread-safe; one owner.
class Limiter {
 public:
  explicit Limiter(const Limits& limits);

  // Admits a query that arrived at `now`. On kServed the caller holds one
  // concurrency slot and must call Release() exactly once when it closes the
  // connection.
  Verdict Admit(const Instant& now);

  // Returns the slot taken by a served query.
  void Release();

  // Forgets rate and daily history and the high-water mark (slots in use are
  // real connections and stay counted).
  void Reset();

  int open() const { return open_; }
  int max_open_seen() const { return max_open_seen_; }
  int64_t served_today() const { return served_today_; }

 private:
  Limits limits_;
  int64_t interval_ns_ = 0;   // T = 1/per_second
  int64_t tolerance_ns_ = 0;  // tau = (burst-1)*T + slack
  bool has_tat_ = false;
  int64_t tat_ns_ = 0;        // theoretical arrival time
  int64_t day_ = 0;
  int64_t served_today_ = 0;
  int open_ = 0;
  int max_open_seen_ = 0;
};

}  // namespace whoisq::sim
