#include "tools/whois_sim/limiter.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace whoisq::sim {

Instant NowInstant() {
  using namespace std::chrono;
  Instant now;
  now.mono = duration_cast<nanoseconds>(steady_clock::now().time_since_epoch());
  const auto secs = duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
  now.utc_day = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  return now;
}

Limiter::Limiter(const Limits& limits) : limits_(limits) {
  if (limits_.per_second > 0) {
    interval_ns_ = static_cast<int64_t>(std::llround(1e9 / limits_.per_second));
    tolerance_ns_ = static_cast<int64_t>(std::max(limits_.burst, 1) - 1) * interval_ns_ +
                    limits_.slack.count();
  }
}

Verdict Limiter::Admit(const Instant& now) {
  if (limits_.concurrency > 0 && open_ >= limits_.concurrency) return Verdict::kConcurrency;

  const int64_t t = now.mono.count();
  if (interval_ns_ > 0 && has_tat_ && t < tat_ns_ - tolerance_ns_) return Verdict::kRate;

  if (now.utc_day != day_) {
    day_ = now.utc_day;
    served_today_ = 0;
  }
  if (limits_.daily > 0 && served_today_ >= limits_.daily) return Verdict::kDaily;

  if (interval_ns_ > 0) {
    tat_ns_ = (has_tat_ ? std::max(tat_ns_, t) : t) + interval_ns_;
    has_tat_ = true;
  }
  ++served_today_;
  ++open_;
  max_open_seen_ = std::max(max_open_seen_, open_);
  return Verdict::kServed;
}

void Limiter::Release() {
  assert(open_ > 0);
  if (open_ > 0) --open_;
}

void Limiter::Reset() {
  has_tat_ = false;
  tat_ns_ = 0;
  served_today_ = 0;
  max_open_seen_ = open_;
}

}  // namespace whoisq::sim
