// GCRA (generic cell rate algorithm): the frequency limit of one limit key.
#pragma once

#include <cstdint>

namespace whoisq::scheduler {

// Emission interval T = 1/per_second, tolerance tau = (burst - 1) * T. A grant
// at t conforms iff t >= TAT - tau; it then sets TAT = max(TAT, t) + T.
// per_second is taken as a fraction p/q (q <= 10^6; never above the double),
// and time is counted in units of 1/p µs, in which T = 10^6 q is an integer:
// the arithmetic is exact, so a grant is allowed at exactly the first whole µs
// (or, through the ms methods, the first whole ms) the definition allows, never
// one unit later or earlier. A value type; not thread-safe.
class Gcra {
 public:
  // per_second <= 0: unlimited (every grant conforms). burst 0 is read as 1.
  explicit Gcra(double per_second = 0, uint32_t burst = 1);

  // Changes rate and burst at now_ms (or at the last grant, if that was later
  // in the same ms), keeping the used share of the burst: a rate cut never
  // frees a burst, a raise never grants more than the new limits allow.
  void SetRate(double per_second, uint32_t burst, int64_t now_ms);

  bool unlimited() const { return interval_ == 0; }

  // The earliest Unix µs at which a grant conforms (may be in the past;
  // INT64_MIN when unlimited).
  int64_t EarliestUs() const;
  // The same, as the earliest whole Unix ms.
  int64_t EarliestMs() const;
  bool Conforms(int64_t now_ms) const { return now_ms >= EarliestMs(); }
  // The earliest ms of the (k+1)-th grant from now if grants were taken as
  // early as allowed (k = 0: the next one).
  int64_t NthMs(uint64_t k, int64_t now_ms) const;
  // Records a grant at now_us. Call only when now_us >= EarliestUs().
  void TakeUs(int64_t now_us);
  // Records a grant at the whole ms now_ms (TakeUs(now_ms * 1000)).
  void Take(int64_t now_ms);
  // Empties the bucket at now_ms (or the last grant, if later) unless it is
  // emptier: the next grant is due one interval later. Used after a restart, when the previous process may
  // have just spent the burst: any sequence it granted, followed by ours,
  // still conforms.
  void StartEmpty(int64_t now_ms);

 private:
  using Units = __int128;  // time in units of 1/units_per_us_ µs

  Units AtMs(int64_t unix_ms) const;

  int64_t units_per_us_ = 1;  // p
  Units interval_ = 0;        // T = 10^6 q units; 0 = unlimited
  Units tolerance_ = 0;       // (burst - 1) * T
  Units tat_ = 0;             // theoretical arrival time
  int64_t last_take_us_ = INT64_MIN;  // the latest grant (Unix µs)
};

}  // namespace whoisq::scheduler
