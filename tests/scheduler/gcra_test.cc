#include "scheduler/gcra.h"

#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

namespace whoisq::scheduler {
namespace {

constexpr int64_t kT0 = 1'700'000'000'000;

// Grants as early as allowed, n times, starting at t0; returns the times.
std::vector<int64_t> GrantTimes(Gcra& g, int n, int64_t t0) {
  std::vector<int64_t> times;
  int64_t now = t0;
  for (int i = 0; i < n; ++i) {
    now = std::max(now, g.EarliestMs());
    EXPECT_TRUE(g.Conforms(now));
    if (now > t0 && now == g.EarliestMs()) {
      EXPECT_FALSE(g.Conforms(now - 1));
    }
    g.Take(now);
    times.push_back(now);
  }
  return times;
}

TEST(Gcra, UnlimitedAlwaysConforms) {
  Gcra g(0, 1);
  EXPECT_TRUE(g.unlimited());
  for (int i = 0; i < 1000; ++i) g.Take(kT0);
  EXPECT_TRUE(g.Conforms(kT0));
}

TEST(Gcra, BurstThenEmissionInterval) {
  Gcra g(2, 3);  // T = 500 ms, tau = 1000 ms
  EXPECT_EQ(GrantTimes(g, 6, kT0),
            (std::vector<int64_t>{kT0, kT0, kT0, kT0 + 500, kT0 + 1000, kT0 + 1500}));
}

TEST(Gcra, ExactForNonTerminatingIntervals) {
  struct Case {
    double per_second;
    uint32_t burst;
    std::vector<int64_t> offsets;
  };
  const std::vector<Case> cases = {
      // T = 333.33 ms; burst 3: the 4th grant is due at exactly 1000 ms.
      {3, 3, {0, 0, 0, 334, 667, 1000, 1334}},
      // Burst 1: each grant moves TAT from its own (whole-ms) time.
      {3, 1, {0, 334, 668, 1002}},
      {1.0 / 60, 1, {0, 60'000, 120'000}},
      {0.5, 2, {0, 0, 2'000, 4'000}},
      {1000, 1, {0, 1, 2, 3}},
      {2500, 3, {0, 0, 0, 1, 1, 2, 2, 2}},
  };
  for (const Case& c : cases) {
    Gcra g(c.per_second, c.burst);
    std::vector<int64_t> got = GrantTimes(g, static_cast<int>(c.offsets.size()), kT0);
    for (int64_t& t : got) t -= kT0;
    EXPECT_EQ(got, c.offsets) << "per_second=" << c.per_second << " burst=" << c.burst;
  }
}

// Grants as early as allowed to the µs, n times, starting at t0 (µs).
std::vector<int64_t> GrantTimesUs(Gcra& g, int n, int64_t t0_us) {
  std::vector<int64_t> times;
  int64_t now = t0_us;
  for (int i = 0; i < n; ++i) {
    now = std::max(now, g.EarliestUs());
    g.TakeUs(now);
    times.push_back(now - t0_us);
  }
  return times;
}

TEST(Gcra, ExactToTheMicrosecond) {
  constexpr int64_t kT0Us = kT0 * 1000;
  {
    Gcra g(3, 3);  // T = 333 333.3 µs: the 4th grant at exactly 1 s again
    EXPECT_EQ(GrantTimesUs(g, 7, kT0Us),
              (std::vector<int64_t>{0, 0, 0, 333'334, 666'667, 1'000'000, 1'333'334}));
  }
  {
    // Burst 1 at 17.5/s: T = 57 142.86 µs. Each grant restarts from its own
    // whole µs, so 1000 grants lose under 1 ms in all; at whole ms they take
    // 58 ms each (0.86 ms lost per grant, 1.5 % of the rate).
    Gcra g(17.5, 1);
    std::vector<int64_t> t = GrantTimesUs(g, 1001, kT0Us);
    EXPECT_EQ(t[1], 57'143);
    EXPECT_GE(t[1000], 57'142'857);
    EXPECT_LT(t[1000], 57'142'857 + 1'000);
    Gcra at_ms(17.5, 1);
    EXPECT_EQ(GrantTimes(at_ms, 1001, kT0).back() - kT0, 58'000);
  }
  {
    // A µs before the earliest does not conform; the ms view rounds it up.
    Gcra g(7, 1);
    g.TakeUs(kT0Us + 1);
    EXPECT_EQ(g.EarliestUs(), kT0Us + 1 + 142'858);  // T = 142 857.14 µs, rounded up
    EXPECT_EQ(g.EarliestMs(), kT0 + 143);
  }
}

TEST(Gcra, RefillsAfterIdle) {
  Gcra g(1, 2);
  g.Take(kT0);
  g.Take(kT0);
  EXPECT_FALSE(g.Conforms(kT0 + 999));
  EXPECT_TRUE(g.Conforms(kT0 + 1000));
  // Idle long enough: the whole burst is back.
  EXPECT_EQ(GrantTimes(g, 2, kT0 + 10'000), (std::vector<int64_t>{kT0 + 10'000, kT0 + 10'000}));
}

TEST(Gcra, RateCutKeepsTheUsedShareOfTheBurst) {
  Gcra g(10, 5);  // T = 100 ms
  for (int i = 0; i < 5; ++i) g.Take(kT0);  // burst spent: TAT = t0 + 500
  g.SetRate(5, 5, kT0);                     // T = 200 ms: TAT = t0 + 1000
  EXPECT_FALSE(g.Conforms(kT0 + 199));
  EXPECT_EQ(g.EarliestMs(), kT0 + 200);
}

TEST(Gcra, RateRaiseInTheMsOfAMicrosecondGrantKeepsTheIntervalToIt) {
  // A grant 900 µs into ms t0, then (a release seen at the whole ms t0) a raise
  // from 9.9/s to 10/s: the next grant is 100 ms after the grant itself, not
  // after t0 (which would be 9 µs early against the new rate).
  Gcra g(9.9, 1);
  g.TakeUs(kT0 * 1000 + 900);
  g.SetRate(10, 1, kT0);
  EXPECT_EQ(g.EarliestUs(), kT0 * 1000 + 900 + 100'000);
}

TEST(Gcra, StartEmptyDelaysTheFirstGrantByOneInterval) {
  Gcra g(2, 3);  // T = 500 ms
  g.StartEmpty(kT0);
  EXPECT_FALSE(g.Conforms(kT0 + 499));
  EXPECT_EQ(GrantTimes(g, 3, kT0), (std::vector<int64_t>{kT0 + 500, kT0 + 1000, kT0 + 1500}));
}

TEST(Gcra, NthMatchesRepeatedGrants) {
  // Exact when T is a whole number of ms; otherwise each grant at a whole ms
  // may shift TAT by under 1 ms, which the estimate ignores.
  for (double rate : {0.5, 1.0, 4.0, 3.0, 7.0}) {
    bool whole = rate == 0.5 || rate == 1.0 || rate == 4.0;
    for (uint32_t burst : {1u, 2u, 5u}) {
      Gcra g(rate, burst);
      g.Take(kT0);
      g.Take(kT0 + 10);
      Gcra copy = g;
      std::vector<int64_t> times = GrantTimes(copy, 8, kT0 + 20);
      for (int k = 0; k < 8; ++k) {
        int64_t estimate = g.NthMs(k, kT0 + 20);
        EXPECT_LE(estimate, times[k]) << rate << " " << burst << " k=" << k;
        EXPECT_GE(estimate + (whole ? 0 : k), times[k]) << rate << " " << burst << " k=" << k;
      }
    }
  }
}

}  // namespace
}  // namespace whoisq::scheduler
