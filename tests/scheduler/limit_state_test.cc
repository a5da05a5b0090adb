#include "scheduler/limit_state.h"

#include <gtest/gtest.h>

#include <cmath>

namespace whoisq::scheduler {
namespace {

constexpr int64_t kDay = 20'000;
constexpr int64_t kT0 = kDay * kDayMs + 3'600'000;  // 01:00 UTC

Limits MakeLimits(uint32_t concurrency, double per_second, uint32_t burst, uint64_t daily) {
  Limits l;
  l.concurrency = concurrency;
  l.per_second = per_second;
  l.burst = burst;
  l.daily = daily;
  return l;
}

TEST(LimitState, DailyCountRollsOverAtUtcMidnight) {
  BackoffOptions b;
  LimitState s("h", MakeLimits(0, 0, 1, 2), &b);
  EXPECT_EQ(s.OnGrant(kT0), std::make_pair(kDay, uint64_t{1}));
  EXPECT_EQ(s.OnGrant(kT0), std::make_pair(kDay, uint64_t{2}));
  EXPECT_TRUE(s.DailySpent(kDay));
  EXPECT_EQ(s.EligibleMs(), (kDay + 1) * kDayMs);
  EXPECT_EQ(s.OnGrant((kDay + 1) * kDayMs), std::make_pair(kDay + 1, uint64_t{1}));
  EXPECT_FALSE(s.DailySpent(kDay + 1));
}

TEST(LimitState, RestoreDailyKeepsTheLaterDayAndTheLargerCount) {
  BackoffOptions b;
  LimitState s("h", MakeLimits(0, 0, 1, 50), &b);
  s.RestoreDaily(kDay, 30);
  s.RestoreDaily(kDay - 1, 49);  // older: ignored
  s.RestoreDaily(kDay, 20);      // smaller: ignored
  EXPECT_EQ(s.DailyUsed(kDay), 30u);
  EXPECT_EQ(s.OnGrant(kT0).second, 31u);
}

TEST(LimitState, ConcurrencyCountsTokensOut) {
  BackoffOptions b;
  LimitState s("h", MakeLimits(2, 0, 1, 0), &b);
  s.OnGrant(kT0);
  EXPECT_FALSE(s.ConcurrencyFull());
  s.OnGrant(kT0);
  EXPECT_TRUE(s.ConcurrencyFull());
  s.OnExpire();
  EXPECT_FALSE(s.ConcurrencyFull());
}

TEST(LimitState, ThrottleHalvesRatePausesAndClimbsBackToTheSafeShareOfTheCeiling) {
  BackoffOptions b;  // x0.5, pause 2 s doubling, +5 % per 10 ok up to 90 % of the ceiling
  LimitState s("h", MakeLimits(4, 10, 3, 0), &b);
  s.OnGrant(kT0);
  s.OnRelease(Outcome::kThrottled, kT0, 0, kT0 + 100);
  EXPECT_DOUBLE_EQ(s.effective_per_second(), 5);
  EXPECT_EQ(s.effective_burst(), 1u);        // the burst is not tried again
  EXPECT_EQ(s.effective_concurrency(), 4u);  // a rate limit: concurrency was not probed
  EXPECT_EQ(s.paused_until_ms(), kT0 + 2'100);
  EXPECT_EQ(s.EligibleMs(), kT0 + 2'100);
  EXPECT_EQ(s.throttles(), 1u);

  // A second throttle of a token granted after the first backoff: pause 4 s.
  s.OnGrant(kT0 + 2'100);
  s.OnRelease(Outcome::kRefused, kT0 + 2'100, 0, kT0 + 2'200);
  EXPECT_DOUBLE_EQ(s.effective_per_second(), 2.5);
  EXPECT_EQ(s.paused_until_ms(), kT0 + 6'200);

  // A token granted before that backoff is no new backoff, but more of the
  // same episode cut by sqrt(0.5) each, never below 0.5 x 2.5.
  s.OnGrant(kT0 + 2'150 /* pretend */);
  s.OnRelease(Outcome::kThrottled, kT0 + 2'150, 1, kT0 + 2'300);
  EXPECT_DOUBLE_EQ(s.effective_per_second(), 2.5 * std::sqrt(0.5));
  EXPECT_EQ(s.throttles(), 3u);
  for (int i = 0; i < 5; ++i) s.OnRelease(Outcome::kThrottled, kT0 + 2'150, 1, kT0 + 2'300);
  EXPECT_DOUBLE_EQ(s.effective_per_second(), 1.25);
  EXPECT_EQ(s.backoff_level(), 2u);

  // Recovery: +0.5/s per 10 ok up to 90 % of the last ceiling (5/s), then
  // +1 % per 100 ok; never above 10/s.
  int64_t t = kT0 + 10'000;
  for (int i = 0; i < 1000; ++i) {
    s.OnGrant(t);
    s.OnRelease(Outcome::kOk, t, 0, t + 1);
    t += 1000;
    EXPECT_LE(s.effective_per_second(), 10);
    EXPECT_EQ(s.effective_concurrency(), 4u);
    if (i == 9) {
      EXPECT_DOUBLE_EQ(s.effective_per_second(), 1.75);
    }
    if (i == 99) {
      EXPECT_DOUBLE_EQ(s.effective_per_second(), 4.5);
    }
  }
  EXPECT_GT(s.effective_per_second(), 4.5 * 1.01 * 1.01);
  EXPECT_LT(s.effective_per_second(), 5);
  EXPECT_DOUBLE_EQ(s.confirmed_per_second(), s.effective_per_second());
  EXPECT_EQ(s.backoff_level(), 0u);
  EXPECT_EQ(s.effective_burst(), 1u);
}

TEST(LimitState, NearMissGoesBelowTheConfirmedRateAndProbesMoreSlowly) {
  BackoffOptions b;
  LimitState s("h", MakeLimits(0, 4, 1, 0), &b);
  int64_t t = kT0;
  s.OnGrant(t);
  s.OnRelease(Outcome::kThrottled, t, 0, t);  // 4 -> 2, ceiling 4
  t += 10'000;
  // 10 ok confirm 2/s and climb to 2.2/s, which the server refuses.
  for (int i = 0; i < 10; ++i, t += 1000) {
    s.OnGrant(t);
    s.OnRelease(Outcome::kOk, t, 0, t);
  }
  EXPECT_DOUBLE_EQ(s.confirmed_per_second(), 2);
  EXPECT_DOUBLE_EQ(s.effective_per_second(), 2.2);
  EXPECT_EQ(s.probe_every(), 100u);
  s.OnGrant(t);
  s.OnRelease(Outcome::kThrottled, t, 0, t);
  EXPECT_DOUBLE_EQ(s.effective_per_second(), 0.9 * 2);
  EXPECT_EQ(s.probe_every(), 200u);
  // No quick climb now: the first +1 % comes after 200 ok.
  t = s.paused_until_ms();
  for (int i = 0; i < 199; ++i, t += 1000) {
    s.OnGrant(t);
    s.OnRelease(Outcome::kOk, t, 0, t);
  }
  EXPECT_DOUBLE_EQ(s.effective_per_second(), 1.8);
  s.OnGrant(t);
  s.OnRelease(Outcome::kOk, t, 0, t);
  EXPECT_DOUBLE_EQ(s.effective_per_second(), 1.8 * 1.01);
}

TEST(LimitState, ConcurrencyCutToWhatWasOutThenProbedOneByOne) {
  BackoffOptions b;
  LimitState s("h", MakeLimits(8, 0, 1, 0), &b);
  // The third of eight tokens out at once was refused: at most 2.
  s.OnRelease(Outcome::kThrottled, kT0, 2, kT0 + 500);
  EXPECT_EQ(s.effective_concurrency(), 2u);
  int64_t t = s.paused_until_ms();
  for (int i = 0; i < 100; ++i, t += 100) {
    s.OnGrant(t);
    s.OnRelease(Outcome::kOk, t, 0, t);
  }
  EXPECT_EQ(s.effective_concurrency(), 3u);  // probe after 100 ok
  s.OnGrant(t);
  s.OnRelease(Outcome::kThrottled, t, 1, t + 10);  // jitter: out_before is not exact
  EXPECT_EQ(s.effective_concurrency(), 2u);
  EXPECT_EQ(s.probe_every(), 200u);
}

TEST(LimitState, SameTokensOutRefusedTwiceDespiteARateCutIsConcurrency) {
  BackoffOptions b;
  LimitState s("h", MakeLimits(8, 20, 4, 0), &b);
  // The third of several tokens out refused: taken for the rate first.
  s.OnRelease(Outcome::kThrottled, kT0, 2, kT0 + 500);
  EXPECT_DOUBLE_EQ(s.effective_per_second(), 10);
  EXPECT_EQ(s.effective_concurrency(), 8u);
  // Refused again with 2 out at half the rate: the server counts connections.
  int64_t t = s.paused_until_ms();
  s.OnRelease(Outcome::kThrottled, t, 2, t + 500);
  EXPECT_DOUBLE_EQ(s.effective_per_second(), 10);
  EXPECT_EQ(s.effective_concurrency(), 2u);
  // A rate throttle with fewer out is the rate again.
  t = s.paused_until_ms();
  s.OnRelease(Outcome::kThrottled, t, 0, t + 500);
  EXPECT_DOUBLE_EQ(s.effective_per_second(), 5);
  EXPECT_EQ(s.effective_concurrency(), 2u);
}

TEST(LimitState, ForgetsTheCeilingAndBurstAfterAQuietHour) {
  BackoffOptions b;
  LimitState s("h", MakeLimits(0, 4, 4, 0), &b);
  s.OnGrant(kT0);
  s.OnRelease(Outcome::kThrottled, kT0, 1, kT0);
  EXPECT_EQ(s.effective_burst(), 1u);
  EXPECT_TRUE(s.HasLearned());
  int64_t t = s.paused_until_ms();
  while (t < kT0 + b.forget_after_ms) {
    s.OnGrant(t);
    s.OnRelease(Outcome::kOk, t, 0, t);
    t += 500;
  }
  s.OnGrant(t);
  s.OnRelease(Outcome::kOk, t, 0, t);
  EXPECT_EQ(s.effective_burst(), 4u);
  EXPECT_EQ(s.probe_every(), 100u);
  EXPECT_DOUBLE_EQ(s.confirmed_per_second(), 0);
}

TEST(LimitState, RateFloorAndPauseCap) {
  BackoffOptions b;
  LimitState s("h", MakeLimits(1, 1, 1, 0), &b);
  int64_t t = kT0;
  for (int i = 0; i < 20; ++i) {
    s.OnGrant(t);
    s.OnRelease(Outcome::kThrottled, t, 0, t + 1);
    t = s.paused_until_ms();
  }
  EXPECT_DOUBLE_EQ(s.effective_per_second(), 1.0 / 60);
  EXPECT_EQ(s.effective_concurrency(), 1u);
  LimitState fresh("h", MakeLimits(1, 1, 1, 0), &b);
  EXPECT_FALSE(fresh.HasLearned());
  for (int i = 0; i < 200; ++i) {  // successes alone teach nothing
    fresh.OnGrant(kT0 + i * 1000);
    fresh.OnRelease(Outcome::kOk, kT0 + i * 1000, 0, kT0 + i * 1000 + 1);
  }
  EXPECT_FALSE(fresh.HasLearned());
  EXPECT_TRUE(s.HasLearned());
}

TEST(LimitState, PauseGrowsAndIsCapped) {
  BackoffOptions b;
  LimitState s("h", MakeLimits(1, 0, 1, 0), &b);
  int64_t t = kT0;
  std::vector<int64_t> pauses;
  for (int i = 0; i < 12; ++i) {
    s.OnGrant(t);
    s.OnRelease(Outcome::kThrottled, t, 0, t);
    pauses.push_back(s.paused_until_ms() - t);
    t = s.paused_until_ms();
  }
  EXPECT_EQ(pauses[0], 2'000);
  EXPECT_EQ(pauses[1], 4'000);
  EXPECT_EQ(pauses[2], 8'000);
  EXPECT_EQ(pauses[11], 600'000);
}

TEST(LimitState, LearnedStateRoundTripsAndIsClamped) {
  BackoffOptions b;
  LimitState s("h", MakeLimits(4, 10, 2, 0), &b);
  s.OnGrant(kT0);
  s.OnRelease(Outcome::kThrottled, kT0, 0, kT0);
  for (int i = 0; i < 10; ++i) {
    s.OnGrant(kT0 + 3'000);
    s.OnRelease(Outcome::kOk, kT0 + 3'000, 0, kT0 + 3'000);
  }
  LearnedLimit l = s.ExportLearned();
  EXPECT_EQ(l.burst, 1u);
  EXPECT_DOUBLE_EQ(l.fast_per_second, 9);
  EXPECT_DOUBLE_EQ(l.confirmed_per_second, 5);
  EXPECT_EQ(l.last_throttle_ms, kT0);
  LimitState r("h", MakeLimits(4, 10, 2, 0), &b);
  r.RestoreLearned(l, kT0 + 1);
  LearnedLimit back = r.ExportLearned();
  EXPECT_DOUBLE_EQ(back.per_second, l.per_second);
  EXPECT_EQ(back.concurrency, 4u);
  EXPECT_EQ(back.paused_until_ms, kT0 + 2'000);
  EXPECT_EQ(back.throttles, 1u);
  EXPECT_EQ(back.burst, 1u);
  EXPECT_DOUBLE_EQ(back.fast_per_second, l.fast_per_second);
  EXPECT_EQ(back.fast_concurrency, l.fast_concurrency);
  EXPECT_DOUBLE_EQ(back.confirmed_per_second, l.confirmed_per_second);
  EXPECT_EQ(back.probe_every, l.probe_every);
  EXPECT_EQ(back.last_throttle_ms, l.last_throttle_ms);
  // The configuration was lowered meanwhile: clamp to it.
  LimitState lower("h", MakeLimits(2, 3, 1, 0), &b);
  lower.RestoreLearned(l, kT0 + 1);
  EXPECT_DOUBLE_EQ(lower.effective_per_second(), 3);
  EXPECT_EQ(lower.effective_concurrency(), 2u);
  EXPECT_DOUBLE_EQ(lower.confirmed_per_second(), 3);
  // A record of the first version (no burst, no ceiling) restores as before.
  LearnedLimit old;
  old.limit_key = "h";
  old.per_second = 5;
  old.concurrency = 3;
  LimitState o("h", MakeLimits(4, 10, 2, 0), &b);
  o.RestoreLearned(old, kT0);
  EXPECT_EQ(o.effective_burst(), 2u);
  EXPECT_DOUBLE_EQ(o.effective_per_second(), 5);
  EXPECT_EQ(o.probe_every(), 100u);
}

TEST(LimitState, EstimateCountsRateAndDailyQuota) {
  BackoffOptions b;
  LimitState s("h", MakeLimits(0, 1, 1, 3), &b);
  EXPECT_EQ(s.EstimateNthMs(0, kT0), kT0);
  EXPECT_EQ(s.EstimateNthMs(2, kT0), kT0 + 2'000);
  // The 4th and 5th go to the next day, paced again.
  EXPECT_EQ(s.EstimateNthMs(3, kT0), (kDay + 1) * kDayMs);
  EXPECT_EQ(s.EstimateNthMs(4, kT0), (kDay + 1) * kDayMs + 1'000);
}

}  // namespace
}  // namespace whoisq::scheduler
