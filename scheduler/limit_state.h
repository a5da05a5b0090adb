// The budget of one limit key (a host, or a group of hosts sharing a
// backend): concurrency, GCRA rate, UTC-day count, and the limits learned
// from throttles.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include "scheduler/gcra.h"
#include "scheduler/limits.h"

namespace whoisq::scheduler {

// Enforces the effective limits (the configured ones, lowered by backoff) and
// learns them. Knows nothing of queues: the scheduler asks when the next grant
// is allowed and reports grants and releases. A value type; not thread-safe.
class LimitState {
 public:
  // `backoff` must outlive this object.
  LimitState(std::string name, const Limits& configured, const BackoffOptions* backoff);

  const std::string& name() const { return name_; }
  const Limits& configured() const { return configured_; }
  double effective_per_second() const { return effective_rate_; }
  uint32_t effective_concurrency() const { return effective_concurrency_; }
  uint32_t effective_burst() const { return effective_burst_; }
  double confirmed_per_second() const { return confirmed_rate_; }
  uint32_t probe_every() const { return probe_every_; }
  uint32_t tokens_out() const { return tokens_out_; }
  uint64_t throttles() const { return throttles_; }
  uint32_t backoff_level() const { return backoff_level_; }
  int64_t paused_until_ms() const { return paused_until_ms_; }
  uint64_t granted() const { return granted_; }

  // True when no further token may be out.
  bool ConcurrencyFull() const {
    return effective_concurrency_ != 0 && tokens_out_ >= effective_concurrency_;
  }
  // The earliest Unix µs at which rate, daily count and pause allow a grant
  // (may be in the past); concurrency is not considered.
  int64_t EligibleUs() const;
  // The same, as the earliest whole Unix ms.
  int64_t EligibleMs() const { return CeilMs(EligibleUs()); }
  // True when the daily quota of `day` is spent.
  bool DailySpent(int64_t day) const;
  // Grants counted for `day` (0 for a day other than the last counted one).
  uint64_t DailyUsed(int64_t day) const;
  // The day the count is kept for (the last day with a grant or restore).
  int64_t counted_day() const { return day_; }

  // Records a grant at now_us, which must be >= EligibleUs() with concurrency
  // free. Returns (UTC day, count for that day after this grant).
  std::pair<int64_t, uint64_t> OnGrantUs(int64_t now_us);
  // The same at the whole ms now_ms.
  std::pair<int64_t, uint64_t> OnGrant(int64_t now_ms) { return OnGrantUs(MsToUs(now_ms)); }
  // Records the return of a token granted at granted_ms while out_before
  // other tokens of this key were out, and learns from the outcome (see
  // docs/scheduler.md "Learning"). A throttle with the server's own wait
  // (retry_after_ms > 0) pauses the key at least that long, capped at
  // pause_max_ms, even when it is old evidence for the backoff.
  void OnRelease(Outcome outcome, int64_t granted_ms, uint32_t out_before, int64_t now_ms,
                 int64_t retry_after_ms = 0);
  // Records a token freed by its lease running out (no learning).
  void OnExpire();
  // Counts a token granted by a previous process (concurrency only).
  void OnAdopt() { ++tokens_out_; }

  // Sets the count of `day` unless a later day is already counted; the same
  // day keeps the larger count.
  void RestoreDaily(int64_t day, uint64_t used);
  // After a restart: the rate starts with an empty bucket at now_ms (see
  // Gcra::StartEmpty).
  void StartEmpty(int64_t now_ms) { gcra_.StartEmpty(now_ms); }

  LearnedLimit ExportLearned() const;
  // Restores learned state, clamped to the configured ceiling and floor.
  void RestoreLearned(const LearnedLimit& learned, int64_t now_ms);
  // True when the learned state differs from a fresh one.
  bool HasLearned() const;

  // An estimate of when the (k+1)-th grant from now could happen, given the
  // effective limits, the daily quota and the mean token hold time.
  int64_t EstimateNthMs(uint64_t k, int64_t now_ms) const;

 private:
  void Backoff(uint32_t out_before, int64_t now_ms);
  void OnOk(int64_t now_ms);
  void Forget(int64_t now_ms);
  void SetRate(double rate, uint32_t burst, int64_t now_ms);
  uint32_t InitialProbeEvery() const { return std::max<uint32_t>(backoff_->probe_every, 1); }

  std::string name_;
  Limits configured_;
  const BackoffOptions* backoff_;

  double effective_rate_;           // <= configured_.per_second (0 = unlimited)
  uint32_t effective_concurrency_;  // <= configured_.concurrency (0 = unlimited)
  uint32_t effective_burst_;        // <= configured_.burst, >= 1
  Gcra gcra_;
  uint32_t tokens_out_ = 0;
  int64_t day_ = INT64_MIN;         // day of used_
  uint64_t used_ = 0;
  uint64_t granted_ = 0;

  uint64_t throttles_ = 0;
  uint32_t backoff_level_ = 0;
  uint32_t ok_streak_ = 0;           // consecutive kOk, modulo increase_every
  uint32_t ok_at_rate_ = 0;          // consecutive kOk since the effective rate last changed
  uint32_t probe_count_ = 0;         // kOk since the last slow probe step
  double fast_rate_;                 // quick climb up to here; above, slow probes
  uint32_t fast_concurrency_;        // the same for concurrency (0 = unlimited)
  double confirmed_rate_ = 0;        // highest rate confirmed by increase_every kOk (0 = none)
  double episode_floor_rate_ = 0;    // stale throttles of the last backoff cut down to here
  uint32_t suspect_concurrency_ = 0; // tokens out at the last rate backoff (0 = none): if as
                                     // many are refused again, concurrency is the limit
  uint32_t probe_every_;             // kOk per slow probe step; grows after a near miss
  bool last_probe_concurrency_ = false;  // the last slow probe raised concurrency, not rate
  int64_t last_throttle_ms_ = 0;     // last backoff (0 = none), for forget_after_ms
  int64_t paused_until_ms_ = 0;
  int64_t last_backoff_ms_ = INT64_MIN;  // throttles of tokens granted before it are not new evidence
  double mean_hold_ms_ = 0;              // EWMA of token hold time, for estimates
};

}  // namespace whoisq::scheduler
