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
      gcra_(effective_rate_, configured.burst) {
  configured_.burst = std::max<uint32_t>(configured_.burst, 1);
}

int64_t LimitState::EligibleMs() const {
  int64_t t = paused_until_ms_;
  if (!gcra_.unlimited()) t = std::max(t, gcra_.EarliestMs());
  if (configured_.daily != 0 && used_ >= configured_.daily && day_ != INT64_MIN) {
    t = std::max(t, (day_ + 1) * kDayMs);
  }
  return t;
}

bool LimitState::DailySpent(int64_t day) const {
  return configured_.daily != 0 && day == day_ && used_ >= configured_.daily;
}

uint64_t LimitState::DailyUsed(int64_t day) const { return day == day_ ? used_ : 0; }

std::pair<int64_t, uint64_t> LimitState::OnGrant(int64_t now_ms) {
  int64_t day = DayOf(now_ms);
  if (day > day_) {
    day_ = day;
    used_ = 0;
  }
  // A clock that went back counts against the later day: never over a limit.
  ++used_;
  ++granted_;
  ++tokens_out_;
  gcra_.Take(now_ms);
  return {day_, used_};
}

void LimitState::OnExpire() {
  if (tokens_out_ > 0) --tokens_out_;
  ok_streak_ = 0;
}

void LimitState::OnRelease(Outcome outcome, int64_t granted_ms, int64_t now_ms) {
  if (tokens_out_ > 0) --tokens_out_;
  double hold = static_cast<double>(std::max<int64_t>(0, now_ms - granted_ms));
  mean_hold_ms_ = mean_hold_ms_ == 0 ? hold
                                     : (1 - kHoldEwmaWeight) * mean_hold_ms_ + kHoldEwmaWeight * hold;
  switch (outcome) {
    case Outcome::kOk:
      if (++ok_streak_ >= std::max<uint32_t>(backoff_->increase_every, 1)) {
        ok_streak_ = 0;
        Increase(now_ms);
      }
      break;
    case Outcome::kThrottled:
    case Outcome::kRefused:
      ++throttles_;
      ok_streak_ = 0;
      // A token granted before the last backoff ran under the old limits: its
      // throttle is the same evidence again, not a new one.
      if (granted_ms >= last_backoff_ms_) Backoff(now_ms);
      break;
    case Outcome::kTimeout:
    case Outcome::kError:
      ok_streak_ = 0;
      break;
  }
}

void LimitState::Backoff(int64_t now_ms) {
  ++backoff_level_;
  last_backoff_ms_ = now_ms;
  if (configured_.per_second > 0) {
    double floor = std::min(backoff_->min_per_second, configured_.per_second);
    effective_rate_ = std::max(floor, effective_rate_ * backoff_->decrease_factor);
    gcra_.SetRate(effective_rate_, configured_.burst, now_ms);
  }
  if (effective_concurrency_ == 0) {
    // Unlimited: cap below what was out when the server complained.
    effective_concurrency_ = std::max<uint32_t>(1, tokens_out_);
  } else {
    effective_concurrency_ = std::max<uint32_t>(1, effective_concurrency_ - 1);
  }
  int shift = static_cast<int>(std::min<uint32_t>(backoff_level_ - 1, 30));
  int64_t pause = std::min(backoff_->pause_max_ms, backoff_->pause_initial_ms << shift);
  paused_until_ms_ = std::max(paused_until_ms_, now_ms + pause);
}

void LimitState::Increase(int64_t now_ms) {
  if (backoff_level_ > 0) --backoff_level_;
  if (configured_.per_second > 0 && effective_rate_ < configured_.per_second) {
    effective_rate_ = std::min(configured_.per_second,
                               effective_rate_ + backoff_->increase_fraction * configured_.per_second);
    gcra_.SetRate(effective_rate_, configured_.burst, now_ms);
  }
  if (effective_concurrency_ != 0 &&
      (configured_.concurrency == 0 || effective_concurrency_ < configured_.concurrency)) {
    ++effective_concurrency_;
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
  return l;
}

bool LimitState::HasLearned() const {
  return throttles_ != 0 || backoff_level_ != 0 || paused_until_ms_ != 0 ||
         effective_rate_ != (configured_.per_second > 0 ? configured_.per_second : 0) ||
         effective_concurrency_ != configured_.concurrency;
}

void LimitState::RestoreLearned(const LearnedLimit& learned, int64_t now_ms) {
  if (configured_.per_second > 0) {
    double floor = std::min(backoff_->min_per_second, configured_.per_second);
    double rate = learned.per_second > 0 ? learned.per_second : configured_.per_second;
    effective_rate_ = std::clamp(rate, floor, configured_.per_second);
    gcra_.SetRate(effective_rate_, configured_.burst, now_ms);
  }
  if (configured_.concurrency == 0) {
    effective_concurrency_ = learned.concurrency;  // 0 = unlimited again
  } else {
    effective_concurrency_ =
        learned.concurrency == 0 ? configured_.concurrency
                                 : std::clamp<uint32_t>(learned.concurrency, 1, configured_.concurrency);
  }
  backoff_level_ = learned.backoff_level;
  throttles_ = learned.throttles;
  paused_until_ms_ = learned.paused_until_ms;
  // A throttle of a token granted before the restart is not new evidence.
  last_backoff_ms_ = now_ms;
  ok_streak_ = 0;
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
      Gcra fresh(effective_rate_, configured_.burst);
      t = std::max(t, fresh.NthMs(beyond % daily, day_start));
    }
  }
  return t;
}

}  // namespace whoisq::scheduler
