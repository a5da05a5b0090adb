#include "scheduler/limit_state.h"

#include <gtest/gtest.h>

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

TEST(LimitState, ThrottleHalvesRatePausesAndSuccessesRecoverToTheCeiling) {
  BackoffOptions b;  // x0.5, pause 2 s doubling, +5 % per 10 ok
  LimitState s("h", MakeLimits(4, 10, 1, 0), &b);
  s.OnGrant(kT0);
  s.OnRelease(Outcome::kThrottled, kT0, kT0 + 100);
  EXPECT_DOUBLE_EQ(s.effective_per_second(), 5);
  EXPECT_EQ(s.effective_concurrency(), 3u);
  EXPECT_EQ(s.paused_until_ms(), kT0 + 2'100);
  EXPECT_EQ(s.EligibleMs(), kT0 + 2'100);
  EXPECT_EQ(s.throttles(), 1u);

  // A second throttle of a token granted after the first backoff: pause 4 s.
  s.OnGrant(kT0 + 2'100);
  s.OnRelease(Outcome::kRefused, kT0 + 2'100, kT0 + 2'200);
  EXPECT_DOUBLE_EQ(s.effective_per_second(), 2.5);
  EXPECT_EQ(s.effective_concurrency(), 2u);
  EXPECT_EQ(s.paused_until_ms(), kT0 + 6'200);

  // A token granted before that backoff is not new evidence.
  s.OnGrant(kT0 + 2'150 /* pretend */);
  s.OnRelease(Outcome::kThrottled, kT0 + 2'150, kT0 + 2'300);
  EXPECT_DOUBLE_EQ(s.effective_per_second(), 2.5);
  EXPECT_EQ(s.throttles(), 3u);

  // Recovery: +0.5/s per 10 ok, never above 10/s; concurrency +1 up to 4.
  int64_t t = kT0 + 10'000;
  for (int i = 0; i < 1000; ++i) {
    s.OnGrant(t);
    s.OnRelease(Outcome::kOk, t, t + 1);
    t += 1000;
    EXPECT_LE(s.effective_per_second(), 10);
    EXPECT_LE(s.effective_concurrency(), 4u);
    if (i == 9) {
      EXPECT_DOUBLE_EQ(s.effective_per_second(), 3.0);
    }
  }
  EXPECT_DOUBLE_EQ(s.effective_per_second(), 10);
  EXPECT_EQ(s.effective_concurrency(), 4u);
  EXPECT_EQ(s.backoff_level(), 0u);
}

TEST(LimitState, RateFloorAndPauseCap) {
  BackoffOptions b;
  LimitState s("h", MakeLimits(1, 1, 1, 0), &b);
  int64_t t = kT0;
  for (int i = 0; i < 20; ++i) {
    s.OnGrant(t);
    s.OnRelease(Outcome::kThrottled, t, t + 1);
    t = s.paused_until_ms();
  }
  EXPECT_DOUBLE_EQ(s.effective_per_second(), 1.0 / 60);
  EXPECT_EQ(s.effective_concurrency(), 1u);
  LimitState fresh("h", MakeLimits(1, 1, 1, 0), &b);
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
    s.OnRelease(Outcome::kThrottled, t, t);
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
  LimitState s("h", MakeLimits(4, 10, 1, 0), &b);
  s.OnGrant(kT0);
  s.OnRelease(Outcome::kThrottled, kT0, kT0);
  LearnedLimit l = s.ExportLearned();
  LimitState r("h", MakeLimits(4, 10, 1, 0), &b);
  r.RestoreLearned(l, kT0 + 1);
  EXPECT_DOUBLE_EQ(r.effective_per_second(), 5);
  EXPECT_EQ(r.effective_concurrency(), 3u);
  EXPECT_EQ(r.paused_until_ms(), kT0 + 2'000);
  EXPECT_EQ(r.throttles(), 1u);
  // The configuration was lowered meanwhile: clamp to it.
  LimitState lower("h", MakeLimits(2, 3, 1, 0), &b);
  lower.RestoreLearned(l, kT0 + 1);
  EXPECT_DOUBLE_EQ(lower.effective_per_second(), 3);
  EXPECT_EQ(lower.effective_concurrency(), 2u);
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
