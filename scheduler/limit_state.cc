#include "scheduler/limit_state.h"

#include <algorithm>
#include <cmath>

namespace whoisq::scheduler {
namespace {

constexpr double kHoldEwmaWeight = 0.2;  // weight of the newest sample

}  // namespace

LimitState::LimitState(std::string name, const Limits& configured,
                       const BackoffOptions* backoff)
    : name_(std::move(name)),
      configured_(configured),
      backoff_(backoff),
      effective_rate_(configured.per_second > 0 ? configured.per_second : 0),
      effective_concurrency_(configured.concurrency),
      effective_burst_(std::max<uint32_t>(configured.burst, 1)),
      gcra_(effective_rate_, configured.burst),
      fast_rate_(effective_rate_),
      fast_concurrency_(configured.concurrency),
      probe_every_(InitialProbeEvery()) {
  configured_.burst = std::max<uint32_t>(configured_.burst, 1);
}

int64_t LimitState::EligibleUs() const {
  int64_t t = MsToUs(paused_until_ms_);
  if (!gcra_.unlimited()) t = std::max(t, gcra_.EarliestUs());
  if (configured_.daily != 0 && used_ >= configured_.daily && day_ != INT64_MIN) {
    t = std::max(t, MsToUs((day_ + 1) * kDayMs));
  }
  return t;
}

bool LimitState::DailySpent(int64_t day) const {
  return configured_.daily != 0 && day == day_ && used_ >= configured_.daily;
}

uint64_t LimitState::DailyUsed(int64_t day) const { return day == day_ ? used_ : 0; }

std::pair<int64_t, uint64_t> LimitState::OnGrantUs(int64_t now_us) {
  int64_t day = DayOf(FloorMs(now_us));
  if (day > day_) {
    day_ = day;
    used_ = 0;
  }
  // A clock that went back counts against the later day: never over a limit.
  ++used_;
  ++granted_;
  ++tokens_out_;
  gcra_.TakeUs(now_us);
  return {day_, used_};
}

void LimitState::OnExpire() {
  if (tokens_out_ > 0) --tokens_out_;
  ok_streak_ = 0;
}

void LimitState::OnRelease(Outcome outcome, int64_t granted_ms, uint32_t out_before,
                           int64_t now_ms, int64_t retry_after_ms) {
  if (tokens_out_ > 0) --tokens_out_;
  double hold = static_cast<double>(std::max<int64_t>(0, now_ms - granted_ms));
  mean_hold_ms_ = mean_hold_ms_ == 0 ? hold
                                     : (1 - kHoldEwmaWeight) * mean_hold_ms_ + kHoldEwmaWeight * hold;
  switch (outcome) {
    case Outcome::kOk:
      OnOk(now_ms);
      break;
    case Outcome::kThrottled:
    case Outcome::kRefused:
      ++throttles_;
      ok_streak_ = 0;
      // A token granted before the last backoff ran under the old limits: its
      // throttle is the same evidence again, not a new one.
      if (granted_ms >= last_backoff_ms_) {
        Backoff(out_before, now_ms);
      } else if (episode_floor_rate_ > 0 && effective_rate_ > episode_floor_rate_) {
        // More tokens of the same episode throttled: the rate was further
        // off than one decrease. Each cuts by sqrt(decrease_factor), but an
        // episode never cuts below decrease_factor^2 of where it began.
        SetRate(std::max(episode_floor_rate_,
                         effective_rate_ * std::sqrt(backoff_->decrease_factor)),
                effective_burst_, now_ms);
      }
      if (retry_after_ms > 0) {
        paused_until_ms_ = std::max(paused_until_ms_,
                                    now_ms + std::min(retry_after_ms, backoff_->pause_max_ms));
      }
      break;
    case Outcome::kTimeout:
    case Outcome::kError:
      ok_streak_ = 0;
      break;
  }
}

void LimitState::SetRate(double rate, uint32_t burst, int64_t now_ms) {
  if (rate != effective_rate_) ok_at_rate_ = 0;
  effective_rate_ = rate;
  effective_burst_ = burst;
  gcra_.SetRate(effective_rate_, effective_burst_, now_ms);
}

void LimitState::Backoff(uint32_t out_before, int64_t now_ms) {
  ++backoff_level_;
  last_backoff_ms_ = now_ms;
  last_throttle_ms_ = now_ms;
  probe_count_ = 0;
  const bool rate_limited = configured_.per_second > 0;
  const uint32_t conc = effective_concurrency_;
  // Which limit did the server enforce? Without a rate, concurrency. With
  // both, concurrency only when the token used one of the top slots just
  // opened by a concurrency probe; else the rate (which also takes the burst).
  const bool by_concurrency =
      !rate_limited || (conc != 0 && out_before + 2 >= conc && last_probe_concurrency_);
  if (by_concurrency) {
    uint32_t cut;
    if (last_probe_concurrency_ && conc > 1) {
      // A near miss: undo the probe (network jitter can reorder arrivals, so
      // out_before is not exact here) and probe more slowly.
      cut = conc - 1;
      probe_every_ = static_cast<uint32_t>(std::min<uint64_t>(
          backoff_->probe_every_max, uint64_t{probe_every_} * backoff_->probe_every_growth));
    } else {
      // The server refused the (out_before + 1)-th connection: at most
      // out_before are allowed.
      cut = std::max<uint32_t>(1, out_before);
      if (conc != 0) cut = std::min(cut, std::max<uint32_t>(1, conc - 1));
    }
    effective_concurrency_ = cut;
    fast_concurrency_ = cut;
    episode_floor_rate_ = 0;
    last_probe_concurrency_ = false;
  } else if (suspect_concurrency_ != 0 && out_before >= suspect_concurrency_ &&
             (conc == 0 || out_before < conc)) {
    // The same number of tokens out was refused twice, and the rate cut in
    // between did not help: the server counts connections. Cap them there
    // and leave the rate.
    effective_concurrency_ = out_before;
    fast_concurrency_ = out_before;
    suspect_concurrency_ = 0;
    episode_floor_rate_ = 0;
  } else {
    suspect_concurrency_ = out_before;
    const double r = effective_rate_;
    const double floor = std::min(backoff_->min_per_second, configured_.per_second);
    double rate;
    if (confirmed_rate_ > 0 && confirmed_rate_ < r &&
        confirmed_rate_ >= r * backoff_->decrease_factor) {
      // A near miss: the real limit lies between a confirmed rate and r.
      // Go back to the safe side of it and probe above more slowly.
      rate = backoff_->safe_fraction * confirmed_rate_;
      fast_rate_ = rate;
      episode_floor_rate_ = 0;
      probe_every_ = static_cast<uint32_t>(std::min<uint64_t>(
          backoff_->probe_every_max, uint64_t{probe_every_} * backoff_->probe_every_growth));
    } else {
      // Far off, or the server lowered its limit below a confirmed rate.
      rate = r * backoff_->decrease_factor;
      fast_rate_ = backoff_->safe_fraction * r;
      episode_floor_rate_ = std::max(floor, rate * backoff_->decrease_factor);
      if (confirmed_rate_ >= r * backoff_->decrease_factor) confirmed_rate_ = 0;
    }
    rate = std::max(floor, rate);
    fast_rate_ = std::max(rate, fast_rate_);
    // A burst the server did not allow is not tried again until forgotten.
    SetRate(rate, 1, now_ms);
  }
  int shift = static_cast<int>(std::min<uint32_t>(backoff_level_ - 1, 30));
  int64_t pause = std::min(backoff_->pause_max_ms, backoff_->pause_initial_ms << shift);
  paused_until_ms_ = std::max(paused_until_ms_, now_ms + pause);
}

void LimitState::Forget(int64_t now_ms) {
  last_throttle_ms_ = 0;
  fast_rate_ = configured_.per_second > 0 ? configured_.per_second : 0;
  fast_concurrency_ = configured_.concurrency;
  confirmed_rate_ = 0;
  episode_floor_rate_ = 0;
  suspect_concurrency_ = 0;
  probe_every_ = InitialProbeEvery();
  if (effective_burst_ != configured_.burst) SetRate(effective_rate_, configured_.burst, now_ms);
}

void LimitState::OnOk(int64_t now_ms) {
  ++ok_at_rate_;
  ++probe_count_;
  if (last_throttle_ms_ != 0 && now_ms - last_throttle_ms_ >= backoff_->forget_after_ms) {
    Forget(now_ms);
  }
  const uint32_t every = std::max<uint32_t>(backoff_->increase_every, 1);
  const bool rate_limited = configured_.per_second > 0;
  // Concurrency can go up when it is capped below the configured value (0 =
  // unlimited on either side).
  auto conc_below = [this] {
    return effective_concurrency_ != 0 &&
           (configured_.concurrency == 0 || effective_concurrency_ < configured_.concurrency);
  };
  if (++ok_streak_ >= every) {
    ok_streak_ = 0;
    if (backoff_level_ > 0) --backoff_level_;
    // Only once the server has complained: a key that never did has learned
    // nothing (HasLearned stays false, nothing to persist).
    if (rate_limited && last_throttle_ms_ != 0 && ok_at_rate_ >= every) {
      confirmed_rate_ = std::max(confirmed_rate_, effective_rate_);
    }
    // Quick climb back to the level thought safe.
    if (rate_limited && effective_rate_ < fast_rate_) {
      SetRate(std::min(fast_rate_, effective_rate_ + backoff_->increase_fraction *
                                                        configured_.per_second),
              effective_burst_, now_ms);
      probe_count_ = 0;
    }
    if (conc_below() && (fast_concurrency_ == 0 || effective_concurrency_ < fast_concurrency_)) {
      ++effective_concurrency_;
      probe_count_ = 0;
    }
  }
  if (probe_count_ >= probe_every_) {
    // Slow probe above the safe level: the rate first, then concurrency.
    probe_count_ = 0;
    if (rate_limited && effective_rate_ < configured_.per_second) {
      SetRate(std::min(configured_.per_second, effective_rate_ * (1 + backoff_->probe_fraction)),
              effective_burst_, now_ms);
      last_probe_concurrency_ = false;
    } else if (conc_below()) {
      ++effective_concurrency_;
      last_probe_concurrency_ = true;
    }
  }
}

void LimitState::RestoreDaily(int64_t day, uint64_t used) {
  if (day > day_ || day_ == INT64_MIN) {
    day_ = day;
    used_ = used;
  } else if (day == day_) {
    used_ = std::max(used_, used);
  }
}

LearnedLimit LimitState::ExportLearned() const {
  LearnedLimit l;
  l.limit_key = name_;
  l.per_second = effective_rate_;
  l.concurrency = effective_concurrency_;
  l.backoff_level = backoff_level_;
  l.throttles = throttles_;
  l.paused_until_ms = paused_until_ms_;
  l.burst = effective_burst_;
  l.fast_per_second = fast_rate_;
  l.fast_concurrency = fast_concurrency_;
  l.confirmed_per_second = confirmed_rate_;
  l.probe_every = probe_every_;
  l.last_throttle_ms = last_throttle_ms_;
  return l;
}

bool LimitState::HasLearned() const {
  const double rate = configured_.per_second > 0 ? configured_.per_second : 0;
  return throttles_ != 0 || backoff_level_ != 0 || paused_until_ms_ != 0 ||
         effective_rate_ != rate || effective_concurrency_ != configured_.concurrency ||
         effective_burst_ != configured_.burst || fast_rate_ != rate ||
         fast_concurrency_ != configured_.concurrency || confirmed_rate_ != 0 ||
         probe_every_ != InitialProbeEvery() || last_throttle_ms_ != 0;
}

void LimitState::RestoreLearned(const LearnedLimit& learned, int64_t now_ms) {
  uint32_t burst = learned.burst == 0 ? configured_.burst
                                      : std::clamp<uint32_t>(learned.burst, 1, configured_.burst);
  if (configured_.per_second > 0) {
    const double ceiling = configured_.per_second;
    double floor = std::min(backoff_->min_per_second, ceiling);
    double rate = learned.per_second > 0 ? learned.per_second : ceiling;
    SetRate(std::clamp(rate, floor, ceiling), burst, now_ms);
    fast_rate_ = learned.fast_per_second > 0 ? std::clamp(learned.fast_per_second, floor, ceiling)
                                             : ceiling;
    confirmed_rate_ = std::clamp(learned.confirmed_per_second, 0.0, ceiling);
  } else {
    effective_burst_ = burst;
  }
  if (configured_.concurrency == 0) {
    effective_concurrency_ = learned.concurrency;  // 0 = unlimited again
    fast_concurrency_ = learned.fast_concurrency;
  } else {
    effective_concurrency_ =
        learned.concurrency == 0 ? configured_.concurrency
                                 : std::clamp<uint32_t>(learned.concurrency, 1, configured_.concurrency);
    fast_concurrency_ = learned.fast_concurrency == 0
                            ? configured_.concurrency
                            : std::clamp<uint32_t>(learned.fast_concurrency, 1,
                                                   configured_.concurrency);
  }
  backoff_level_ = learned.backoff_level;
  throttles_ = learned.throttles;
  paused_until_ms_ = learned.paused_until_ms;
  probe_every_ = learned.probe_every == 0
                     ? InitialProbeEvery()
                     : std::clamp<uint32_t>(learned.probe_every, InitialProbeEvery(),
                                            std::max(backoff_->probe_every_max, InitialProbeEvery()));
  last_throttle_ms_ = learned.last_throttle_ms;
  // A throttle of a token granted before the restart is not new evidence.
  last_backoff_ms_ = now_ms;
  ok_streak_ = 0;
  ok_at_rate_ = 0;
  probe_count_ = 0;
}

int64_t LimitState::EstimateNthMs(uint64_t k, int64_t now_ms) const {
  int64_t start = std::max(now_ms, paused_until_ms_);
  int64_t t = gcra_.NthMs(k, start);
  uint32_t conc = effective_concurrency_;
  if (conc != 0 && mean_hold_ms_ > 0) {
    // Each wave of `conc` tokens lasts about one mean hold time.
    uint64_t ahead = k + tokens_out_;
    uint64_t waves = ahead / conc;
    t = std::max(t, start + static_cast<int64_t>(std::llround(waves * mean_hold_ms_)));
  }
  uint64_t daily = configured_.daily;
  if (daily != 0) {
    int64_t today = DayOf(start);
    uint64_t used = DailyUsed(today);
    if (day_ > today) used = daily;  // clock behind the counted day: wait for it
    uint64_t left = used >= daily ? 0 : daily - used;
    if (k >= left) {
      uint64_t beyond = k - left;
      int64_t days = static_cast<int64_t>(beyond / daily) + 1;
      int64_t day_start = (today + days) * kDayMs;
      Gcra fresh(effective_rate_, effective_burst_);
      t = std::max(t, fresh.NthMs(beyond % daily, day_start));
    }
  }
  return t;
}

}  // namespace whoisq::scheduler
