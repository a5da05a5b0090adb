#include "scheduler/gcra.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

#include "scheduler/limits.h"

namespace whoisq::scheduler {
namespace {

constexpr int64_t kMaxDenominator = 1'000'000;

// per_second as p/q with q <= kMaxDenominator: the best continued-fraction
// approximation when it is the double's value up to rounding noise, else a
// fraction just below it (never faster than configured).
std::pair<int64_t, int64_t> AsFraction(double x) {
  int64_t p0 = 0, q0 = 1, p1 = 1, q1 = 0;
  double r = x;
  for (int i = 0; i < 64; ++i) {
    double a = std::floor(r);
    if (a > 1e15) break;
    int64_t ai = static_cast<int64_t>(a);
    int64_t p2 = ai * p1 + p0, q2 = ai * q1 + q0;
    if (q2 > kMaxDenominator) break;
    p0 = p1; q0 = q1; p1 = p2; q1 = q2;
    double approx = static_cast<double>(p1) / static_cast<double>(q1);
    if (std::fabs(approx - x) <= 1e-12 * x) return {p1, q1};
    double frac = r - a;
    if (frac <= 0) break;
    r = 1 / frac;
  }
  int64_t q = kMaxDenominator;
  int64_t p = std::max<int64_t>(1, static_cast<int64_t>(std::floor(x * static_cast<double>(q))));
  int64_t g = std::gcd(p, q);
  return {p / g, q / g};
}

__int128 CeilDiv(__int128 a, __int128 b) {  // b > 0
  return a >= 0 ? (a + b - 1) / b : -((-a) / b);
}

int64_t ClampToInt64(__int128 v) {
  if (v > INT64_MAX) return INT64_MAX;
  if (v < INT64_MIN) return INT64_MIN;
  return static_cast<int64_t>(v);
}

}  // namespace

Gcra::Gcra(double per_second, uint32_t burst) { SetRate(per_second, burst, 0); }

Gcra::Units Gcra::AtMs(int64_t unix_ms) const {
  return static_cast<Units>(unix_ms) * kUsPerMs * units_per_us_;
}

void Gcra::SetRate(double per_second, uint32_t burst, int64_t now_ms) {
  // A µs grant may lie later in the same ms: keep the level as at that grant
  // or later, else a raise could pull the next grant closer than T to it.
  const int64_t at_us = std::max(MsToUs(now_ms), last_take_us_);
  Units old_interval = interval_;
  Units old_debt = tat_ - static_cast<Units>(at_us) * units_per_us_;
  if (per_second > 0) {
    auto [p, q] = AsFraction(per_second);
    units_per_us_ = p;
    interval_ = static_cast<Units>(1'000'000) * q;
  } else {
    units_per_us_ = 1;
    interval_ = 0;
  }
  tolerance_ = static_cast<Units>(std::max<uint32_t>(burst, 1) - 1) * interval_;
  Units now = static_cast<Units>(at_us) * units_per_us_;
  if (old_interval == 0 || interval_ == 0 || old_debt <= 0) {
    // From or to unlimited, or nothing owed: a full bucket.
    tat_ = now;
    return;
  }
  // The bucket level in cells, debt / T, is kept; rounded up.
  tat_ = now + CeilDiv(old_debt * interval_, old_interval);
}

int64_t Gcra::EarliestUs() const {
  if (unlimited()) return INT64_MIN;
  return ClampToInt64(CeilDiv(tat_ - tolerance_, units_per_us_));
}

int64_t Gcra::EarliestMs() const {
  if (unlimited()) return INT64_MIN;
  return ClampToInt64(CeilDiv(tat_ - tolerance_, static_cast<Units>(units_per_us_) * kUsPerMs));
}

int64_t Gcra::NthMs(uint64_t k, int64_t now_ms) const {
  if (unlimited()) return now_ms;
  Units start = std::max(tat_, AtMs(now_ms));
  Units t = start + static_cast<Units>(k) * interval_ - tolerance_;
  return std::max(now_ms, ClampToInt64(CeilDiv(t, static_cast<Units>(units_per_us_) * kUsPerMs)));
}

void Gcra::StartEmpty(int64_t now_ms) {
  if (unlimited()) return;
  const int64_t at_us = std::max(MsToUs(now_ms), last_take_us_);
  tat_ = std::max(tat_, static_cast<Units>(at_us) * units_per_us_ + tolerance_ + interval_);
}

void Gcra::TakeUs(int64_t now_us) {
  last_take_us_ = std::max(last_take_us_, now_us);
  if (unlimited()) return;
  tat_ = std::max(tat_, static_cast<Units>(now_us) * units_per_us_) + interval_;
}

void Gcra::Take(int64_t now_ms) { TakeUs(MsToUs(now_ms)); }

}  // namespace whoisq::scheduler
