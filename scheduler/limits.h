// The value types of the scheduler's limits: what an operator configures per
// server (Limits), how unpublished limits are learned (BackoffOptions), what a
// worker reports when it returns a token (Outcome), and the learned state the
// broker persists (LearnedLimit).
#pragma once

#include <cstdint>
#include <string>

namespace whoisq::scheduler {

inline constexpr int64_t kDayMs = 86'400'000;

// The UTC day number (days since 1970-01-01) of a Unix time in ms.
inline int64_t DayOf(int64_t unix_ms) {
  return unix_ms >= 0 ? unix_ms / kDayMs : -((-unix_ms + kDayMs - 1) / kDayMs);
}

// Time is Unix ms everywhere, except the instant of a grant, which the
// scheduler keeps to the µs (Scheduler::DispatchUs). These convert; INT64_MAX
// and INT64_MIN ("never", "always") stay what they are.
inline constexpr int64_t kUsPerMs = 1000;
inline int64_t MsToUs(int64_t unix_ms) {
  if (unix_ms >= INT64_MAX / kUsPerMs) return INT64_MAX;
  if (unix_ms <= INT64_MIN / kUsPerMs) return INT64_MIN;
  return unix_ms * kUsPerMs;
}
// The whole ms at or before a Unix µs time.
inline int64_t FloorMs(int64_t unix_us) {
  if (unix_us == INT64_MAX || unix_us == INT64_MIN) return unix_us;
  return unix_us / kUsPerMs - (unix_us % kUsPerMs < 0 ? 1 : 0);
}
// The whole ms at or after a Unix µs time.
inline int64_t CeilMs(int64_t unix_us) {
  if (unix_us == INT64_MAX || unix_us == INT64_MIN) return unix_us;
  return unix_us / kUsPerMs + (unix_us % kUsPerMs > 0 ? 1 : 0);
}

// Limits of one server, or of one group of servers that share a backend.
struct Limits {
  uint32_t concurrency = 1;   // tokens out at once (0 = unlimited)
  double per_second = 1.0;    // sustained rate (0 = unlimited)
  uint32_t burst = 1;         // tokens that may be granted back to back (0 is read as 1)
  uint64_t daily = 5000;      // grants per UTC day (0 = unlimited)
  std::string group;          // hosts with the same non-empty group share one budget
};

// How a limit key backs off when a server throttles or refuses us although we
// kept to the configured limits, and how it finds the real limit again
// (docs/scheduler.md "Learning"). A throttle at effective rate r sets the
// ceiling estimate r; the rate drops to r * decrease_factor, or, if a rate just
// below r was confirmed by a run of kOk, to min(that rate, safe_fraction * r)
// ("near miss"). It then climbs quickly to safe_fraction * ceiling and above
// that probes slowly (+probe_fraction per probe_every kOk, probe_every growing
// after each near miss). Everything learned is forgotten after forget_after_ms
// without a throttle, so a server that raised its limit is found again.
struct BackoffOptions {
  double decrease_factor = 0.5;          // rate *= this after a throttle with no confirmed rate near
  double min_per_second = 1.0 / 60;      // floor of the effective rate (capped at the configured rate)
  int64_t pause_initial_ms = 2'000;      // first pause; doubles per consecutive backoff
  int64_t pause_max_ms = 600'000;        // cap of the pause (10 min)
  double increase_fraction = 0.05;       // quick climb: this share of the configured rate ...
  uint32_t increase_every = 10;          // ... per this many consecutive kOk, up to safe_fraction
                                         // of the ceiling; also the run that confirms a rate
  double safe_fraction = 0.9;            // share of the ceiling estimate thought safe; lower
                                         // wastes throughput, higher throttles more often
  double probe_fraction = 0.01;          // slow probe above the safe level: rate *= 1 + this ...
  uint32_t probe_every = 100;            // ... (or concurrency + 1) per this many kOk at first;
  uint32_t probe_every_growth = 2;       // multiplied by this after each near miss ...
  uint32_t probe_every_max = 100'000;    // ... up to this
  int64_t forget_after_ms = 3'600'000;   // no throttle for this long: forget the ceiling, the
                                         // probe pace and the learned burst (1 h)
};

// What the worker reports when it returns a token.
enum class Outcome {
  kOk,         // the server answered (found or not found)
  kThrottled,  // the server answered with a throttle text: back off
  kRefused,    // the connection was refused or reset: back off
  kTimeout,    // no answer in time: no learning, ends a run of successes
  kError,      // anything else: no learning, ends a run of successes
};

// The learned (effective) limits of one limit key, for the broker to persist
// and restore after a restart. Restoring clamps to the configured ceiling.
// Zero in a field added after the first version (burst and below) means "as
// configured / nothing learned", so an old record restores as before.
struct LearnedLimit {
  std::string limit_key;
  double per_second = 0;         // effective rate (0 = unlimited, as configured)
  uint32_t concurrency = 0;      // effective concurrency (0 = unlimited, as configured)
  uint32_t backoff_level = 0;    // consecutive backoffs not yet worked off; sets the next pause
  uint64_t throttles = 0;        // kThrottled + kRefused releases seen, ever
  int64_t paused_until_ms = 0;   // nothing is granted before this (Unix ms)
  uint32_t burst = 0;            // effective burst (0 = as configured)
  double fast_per_second = 0;    // quick climb up to this rate (0 = the configured rate)
  uint32_t fast_concurrency = 0; // quick climb up to this concurrency (0 = configured)
  double confirmed_per_second = 0;  // highest rate a run of kOk confirmed (0 = none)
  uint32_t probe_every = 0;      // kOk per slow probe step (0 = BackoffOptions::probe_every)
  int64_t last_throttle_ms = 0;  // last backoff (Unix ms; 0 = none): starts forget_after_ms
};

}  // namespace whoisq::scheduler
