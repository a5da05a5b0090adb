// Limit accounting driven by an injected clock: no sleeps.
#include "tools/whois_sim/limiter.h"

#include <gtest/gtest.h>

namespace whoisq::sim {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

Instant At(int64_t ms, int64_t day = 20000) {
  return Instant{std::chrono::duration_cast<nanoseconds>(milliseconds(ms)), day};
}

Limits RateLimits(double per_second, int burst, int64_t slack_ms) {
  Limits limits;
  limits.per_second = per_second;
  limits.burst = burst;
  limits.slack = milliseconds(slack_ms);
  return limits;
}

TEST(Limiter, UnlimitedServesEverything) {
  Limiter limiter(Limits{});
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(limiter.Admit(At(1000)), Verdict::kServed);
  EXPECT_EQ(limiter.open(), 1000);
  EXPECT_EQ(limiter.max_open_seen(), 1000);
}

TEST(Limiter, BurstThenOnePerInterval) {
  // 10/s, burst 10, slack 0: 10 at once, the 11th is early.
  Limiter limiter(RateLimits(10, 10, 0));
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(limiter.Admit(At(1000)), Verdict::kServed) << i;
    limiter.Release();
  }
  EXPECT_EQ(limiter.Admit(At(1000)), Verdict::kRate);
  // TAT is now 1000 + 10*100 = 2000 ms; tau = 900 ms: next conforming at 1100.
  EXPECT_EQ(limiter.Admit(At(1099)), Verdict::kRate);
  EXPECT_EQ(limiter.Admit(At(1100)), Verdict::kServed);
}

TEST(Limiter, BreachDoesNotAdvanceTat) {
  Limiter limiter(RateLimits(1, 1, 0));
  EXPECT_EQ(limiter.Admit(At(1000)), Verdict::kServed);
  // Many early queries: none may push the next conforming time.
  for (int ms = 1001; ms < 2000; ms += 37) EXPECT_EQ(limiter.Admit(At(ms)), Verdict::kRate) << ms;
  EXPECT_EQ(limiter.Admit(At(2000)), Verdict::kServed);
}

TEST(Limiter, SlackAbsorbsJitter) {
  Limiter limiter(RateLimits(10, 1, 25));
  EXPECT_EQ(limiter.Admit(At(1000)), Verdict::kServed);
  EXPECT_EQ(limiter.Admit(At(1075)), Verdict::kServed);  // 25 ms early: tolerated
  // TAT = 1000+100+100 = 1200; conforming from 1175 on.
  EXPECT_EQ(limiter.Admit(At(1174)), Verdict::kRate);
  EXPECT_EQ(limiter.Admit(At(1175)), Verdict::kServed);
}

TEST(Limiter, SteadyPaceAtRateNeverBreaches) {
  Limiter limiter(RateLimits(7, 3, 0));
  const int64_t interval_ns = 1'000'000'000 / 7 + 1;  // a client pacing at T (rounded up)
  for (int i = 0; i < 10000; ++i) {
    Instant t{nanoseconds(1'000'000'000 + i * interval_ns), 20000};
    ASSERT_EQ(limiter.Admit(t), Verdict::kServed) << i;
    limiter.Release();
  }
}

TEST(Limiter, ConcurrencyCountsOpenSlots) {
  Limits limits;
  limits.concurrency = 2;
  Limiter limiter(limits);
  EXPECT_EQ(limiter.Admit(At(0)), Verdict::kServed);
  EXPECT_EQ(limiter.Admit(At(0)), Verdict::kServed);
  EXPECT_EQ(limiter.Admit(At(0)), Verdict::kConcurrency);
  EXPECT_EQ(limiter.open(), 2);
  limiter.Release();
  EXPECT_EQ(limiter.Admit(At(0)), Verdict::kServed);
  EXPECT_EQ(limiter.max_open_seen(), 2);
}

TEST(Limiter, ConcurrencyBreachTakesNoRateBudget) {
  Limits limits = RateLimits(1, 2, 0);
  limits.concurrency = 1;
  Limiter limiter(limits);
  EXPECT_EQ(limiter.Admit(At(1000)), Verdict::kServed);
  EXPECT_EQ(limiter.Admit(At(1000)), Verdict::kConcurrency);
  limiter.Release();
  EXPECT_EQ(limiter.Admit(At(1000)), Verdict::kServed);  // second burst token still there
}

TEST(Limiter, DailyQuotaPerUtcDay) {
  Limits limits;
  limits.daily = 3;
  Limiter limiter(limits);
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(limiter.Admit(At(i, 100)), Verdict::kServed);
    limiter.Release();
  }
  EXPECT_EQ(limiter.Admit(At(10, 100)), Verdict::kDaily);
  EXPECT_EQ(limiter.Admit(At(11, 100)), Verdict::kDaily);
  EXPECT_EQ(limiter.served_today(), 3);
  EXPECT_EQ(limiter.Admit(At(12, 101)), Verdict::kServed);  // next UTC day
  EXPECT_EQ(limiter.served_today(), 1);
}

TEST(Limiter, RateBreachDoesNotCountAgainstDaily) {
  Limits limits = RateLimits(1, 1, 0);
  limits.daily = 2;
  Limiter limiter(limits);
  EXPECT_EQ(limiter.Admit(At(1000)), Verdict::kServed);
  limiter.Release();
  EXPECT_EQ(limiter.Admit(At(1001)), Verdict::kRate);
  EXPECT_EQ(limiter.Admit(At(2000)), Verdict::kServed);
  limiter.Release();
  EXPECT_EQ(limiter.Admit(At(3000)), Verdict::kDaily);
}

TEST(Limiter, ResetForgetsHistoryButKeepsOpenSlots) {
  Limits limits = RateLimits(1, 1, 0);
  limits.daily = 1;
  Limiter limiter(limits);
  EXPECT_EQ(limiter.Admit(At(1000)), Verdict::kServed);
  limiter.Reset();
  EXPECT_EQ(limiter.open(), 1);
  EXPECT_EQ(limiter.max_open_seen(), 1);
  EXPECT_EQ(limiter.Admit(At(1001)), Verdict::kServed);
  EXPECT_EQ(limiter.open(), 2);
}

}  // namespace
}  // namespace whoisq::sim
