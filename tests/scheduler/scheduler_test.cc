#include "scheduler/scheduler.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace whoisq::scheduler {
namespace {

using schema::ErrorCode;

constexpr int64_t kDay = 20'000;
constexpr int64_t kT0 = kDay * kDayMs + 3'600'000;  // 01:00 UTC

Limits MakeLimits(uint32_t concurrency, double per_second, uint32_t burst, uint64_t daily,
                  std::string group = "") {
  Limits l;
  l.concurrency = concurrency;
  l.per_second = per_second;
  l.burst = burst;
  l.daily = daily;
  l.group = std::move(group);
  return l;
}

Options OneServer(const Limits& limits) {
  Options o;
  o.default_limits = limits;
  return o;
}

Request Req(uint64_t id, std::string server = "whois.a", std::string client = "c",
            int64_t deadline_ms = 0, int32_t priority = 0) {
  Request r;
  r.id = id;
  r.server = std::move(server);
  r.client = std::move(client);
  r.deadline_ms = deadline_ms;
  r.priority = priority;
  return r;
}

std::vector<uint64_t> Ids(const std::vector<Grant>& grants) {
  std::vector<uint64_t> ids;
  for (const Grant& g : grants) ids.push_back(g.request_id);
  return ids;
}

// Drives the scheduler the way the broker loop does: wake at NextWakeup,
// dispatch, return every token `hold_ms` after its grant. Returns the grant
// times of n grants.
std::vector<int64_t> RunGrantTimes(Scheduler& s, size_t n, int64_t t0, int64_t hold_ms) {
  std::vector<int64_t> times;
  std::multimap<int64_t, uint64_t> returns;  // time -> token id
  int64_t now = t0;
  while (times.size() < n) {
    int64_t wake = s.NextWakeup(now);
    if (!returns.empty()) wake = std::min(wake, returns.begin()->first);
    EXPECT_NE(wake, INT64_MAX);
    if (wake == INT64_MAX) break;
    now = std::max(now, wake);
    while (!returns.empty() && returns.begin()->first <= now) {
      s.Release(returns.begin()->second, Outcome::kOk, now);
      returns.erase(returns.begin());
    }
    for (const Grant& g : s.Dispatch(now, 1000)) {
      times.push_back(now);
      returns.emplace(now + hold_ms, g.token.id);
    }
  }
  return times;
}

TEST(Scheduler, ConcurrencyCapsTokensOut) {
  Scheduler s(OneServer(MakeLimits(2, 0, 1, 0)));
  for (uint64_t i = 1; i <= 5; ++i) s.Enqueue(Req(i), kT0);
  std::vector<Grant> g = s.Dispatch(kT0, 10);
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(s.tokens_out(), 2u);
  EXPECT_TRUE(s.Dispatch(kT0 + 5'000, 10).empty());
  // Nothing to do until a lease ends.
  EXPECT_EQ(s.NextWakeup(kT0 + 5'000), kT0 + 60'000);
  s.Release(g[0].token.id, Outcome::kOk, kT0 + 6'000);
  EXPECT_EQ(s.NextWakeup(kT0 + 6'000), kT0 + 6'000);
  EXPECT_EQ(Ids(s.Dispatch(kT0 + 6'000, 10)), (std::vector<uint64_t>{3}));
  s.Release(g[0].token.id, Outcome::kOk, kT0 + 6'001);  // twice: ignored
  EXPECT_TRUE(s.Dispatch(kT0 + 6'001, 10).empty());
}

TEST(Scheduler, GrantFieldsAndLimitKey) {
  Options o = OneServer(MakeLimits(1, 0, 1, 10));
  o.lease_ms = 30'000;
  o.first_token_id = 1000;
  Scheduler s(o);
  s.Enqueue(Req(7, "whois.x"), kT0);
  std::vector<Grant> g = s.Dispatch(kT0, 10);
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].request_id, 7u);
  EXPECT_EQ(g[0].token.id, 1000u);
  EXPECT_EQ(g[0].token.server, "whois.x");
  EXPECT_EQ(g[0].token.lease_until_ms, kT0 + 30'000);
  EXPECT_EQ(g[0].limit_key, "whois.x");
  EXPECT_EQ(g[0].day, kDay);
  EXPECT_EQ(g[0].daily_used, 1u);
  EXPECT_EQ(s.LimitKey("whois.x"), "whois.x");
}

TEST(Scheduler, RateWithBurstGrantsAtTheExactFirstAllowedMs) {
  Scheduler s(OneServer(MakeLimits(0, 2, 3, 0)));  // T = 500 ms, burst 3
  for (uint64_t i = 1; i <= 7; ++i) s.Enqueue(Req(i), kT0);
  std::vector<int64_t> times = RunGrantTimes(s, 7, kT0, 10);
  EXPECT_EQ(times, (std::vector<int64_t>{kT0, kT0, kT0, kT0 + 500, kT0 + 1000, kT0 + 1500,
                                         kT0 + 2000}));
}

TEST(Scheduler, RateOfThreePerSecondIsExact) {
  Scheduler s(OneServer(MakeLimits(0, 3, 3, 0)));
  for (uint64_t i = 1; i <= 7; ++i) s.Enqueue(Req(i), kT0);
  std::vector<int64_t> times = RunGrantTimes(s, 7, kT0, 10);
  for (int64_t& t : times) t -= kT0;
  EXPECT_EQ(times, (std::vector<int64_t>{0, 0, 0, 334, 667, 1000, 1334}));
}

TEST(Scheduler, NoGrantOneMsEarly) {
  Scheduler s(OneServer(MakeLimits(0, 1, 1, 0)));
  s.Enqueue(Req(1), kT0);
  s.Enqueue(Req(2), kT0);
  EXPECT_EQ(s.Dispatch(kT0, 10).size(), 1u);
  EXPECT_EQ(s.NextWakeup(kT0), kT0 + 1000);
  EXPECT_TRUE(s.Dispatch(kT0 + 999, 10).empty());
  EXPECT_EQ(s.Dispatch(kT0 + 1000, 10).size(), 1u);
}

TEST(Scheduler, DispatchUsKeepsABurstOneRateToTheMicrosecond) {
  // 17.5/s, burst 1: T = 57 142.86 µs. Woken at NextWakeupUs, 100 grants
  // span 99 T (+ under 1 µs each); at whole ms they would span 99 x 58 ms.
  Scheduler s(OneServer(MakeLimits(0, 17.5, 1, 0)));
  for (uint64_t i = 1; i <= 100; ++i) s.Enqueue(Req(i), kT0);
  int64_t now_us = kT0 * 1000;
  std::vector<int64_t> times;
  while (times.size() < 100) {
    now_us = s.NextWakeupUs(now_us);
    ASSERT_NE(now_us, INT64_MAX);
    if (!times.empty()) {
      ASSERT_TRUE(s.DispatchUs(now_us - 1, 10).empty()) << "1 µs early, grant " << times.size();
    }
    std::vector<Grant> g = s.DispatchUs(now_us, 10);
    ASSERT_EQ(g.size(), 1u);
    times.push_back(now_us - kT0 * 1000);
    s.Release(g[0].token.id, Outcome::kOk, now_us / 1000);
  }
  EXPECT_EQ(times[1], 57'143);
  EXPECT_GE(times[99], int64_t{99} * 57'142'857 / 1000);
  EXPECT_LT(times[99], int64_t{99} * 57'142'857 / 1000 + 99);
  EXPECT_EQ(s.NextWakeupUs(now_us), INT64_MAX);  // nothing queued, no token out
}

TEST(Scheduler, DispatchUsCountsDeadlinesLeasesAndDaysInWholeMs) {
  Options o = OneServer(MakeLimits(0, 0, 1, 0));
  o.lease_ms = 1'000;
  Scheduler s(o);
  // A deadline of kT0 + 1 ms: still grantable at any µs of ms kT0.
  s.Enqueue(Req(1, "whois.a", "c", kT0 + 1), kT0);
  std::vector<Grant> g = s.DispatchUs(kT0 * 1000 + 999, 10);
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].token.lease_until_ms, kT0 + 1'000);
  EXPECT_EQ(g[0].day, kDay);
  EXPECT_EQ(s.NextWakeupUs(kT0 * 1000 + 999), (kT0 + 1'000) * 1000);  // the lease, in µs
  s.Enqueue(Req(2, "whois.a", "c", kT0 + 1), kT0);
  s.Enqueue(Req(3), kT0);
  // At the first µs of the deadline's ms it is rejected, not granted.
  EXPECT_EQ(Ids(s.DispatchUs((kT0 + 1) * 1000, 10)), (std::vector<uint64_t>{3}));
  std::vector<Rejection> r = s.TakeRejections(kT0 + 1);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].request_id, 2u);
}

TEST(Scheduler, DailyQuotaWaitsForTheNextUtcDay) {
  Scheduler s(OneServer(MakeLimits(0, 0, 1, 3)));
  for (uint64_t i = 1; i <= 5; ++i) s.Enqueue(Req(i), kT0);
  std::vector<Grant> g = s.Dispatch(kT0, 10);
  ASSERT_EQ(g.size(), 3u);
  EXPECT_EQ(g[2].daily_used, 3u);
  for (const Grant& x : g) s.Release(x.token.id, Outcome::kOk, kT0 + 1);
  int64_t midnight = (kDay + 1) * kDayMs;
  EXPECT_EQ(s.NextWakeup(kT0 + 1), midnight);
  EXPECT_TRUE(s.Dispatch(midnight - 1, 10).empty());
  g = s.Dispatch(midnight, 10);
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(g[0].day, kDay + 1);
  EXPECT_EQ(g[0].daily_used, 1u);
  EXPECT_EQ(g[1].daily_used, 2u);
  EXPECT_TRUE(s.TakeRejections(midnight).empty());
}

TEST(Scheduler, SpentQuotaRejectsAtOnceWhenTheDeadlineComesFirst) {
  Scheduler s(OneServer(MakeLimits(0, 0, 1, 2)));
  int64_t midnight = (kDay + 1) * kDayMs;
  s.Enqueue(Req(1), kT0);
  s.Enqueue(Req(2), kT0);
  s.Enqueue(Req(3, "whois.a", "c", kT0 + 60'000), kT0);      // doomed once spent
  s.Enqueue(Req(4, "whois.a", "c", midnight + 60'000), kT0);  // can wait for tomorrow
  s.Enqueue(Req(5), kT0);                                     // no deadline: waits
  EXPECT_EQ(s.Dispatch(kT0, 2).size(), 2u);
  // The quota is spent now: request 3 is rejected at once, not at its deadline.
  EXPECT_EQ(s.NextWakeup(kT0), kT0);
  std::vector<Rejection> r = s.TakeRejections(kT0);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].request_id, 3u);
  EXPECT_EQ(r[0].code, ErrorCode::kQuotaExhausted);
  EXPECT_EQ(s.queued(), 2u);
  // A new request with a deadline today is rejected on arrival.
  s.Enqueue(Req(6, "whois.a", "c", kT0 + 120'000), kT0 + 1);
  r = s.TakeRejections(kT0 + 1);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].request_id, 6u);
  EXPECT_EQ(r[0].code, ErrorCode::kQuotaExhausted);
  // Tomorrow the waiting ones are granted.
  EXPECT_EQ(Ids(s.Dispatch(midnight, 10)), (std::vector<uint64_t>{4, 5}));
}

TEST(Scheduler, DeadlineWhileQueuedIsRejected) {
  Scheduler s(OneServer(MakeLimits(1, 0, 1, 0)));
  s.Enqueue(Req(1), kT0);
  s.Enqueue(Req(2, "whois.a", "c", kT0 + 5'000), kT0);
  s.Enqueue(Req(3, "whois.a", "c", kT0), kT0);  // already past
  ASSERT_EQ(s.Dispatch(kT0, 10).size(), 1u);
  std::vector<Rejection> r = s.TakeRejections(kT0);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].request_id, 3u);
  EXPECT_EQ(r[0].code, ErrorCode::kDeadline);
  EXPECT_EQ(s.NextWakeup(kT0), kT0 + 5'000);
  EXPECT_TRUE(s.TakeRejections(kT0 + 4'999).empty());
  r = s.TakeRejections(kT0 + 5'000);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].request_id, 2u);
  EXPECT_EQ(r[0].code, ErrorCode::kDeadline);
  EXPECT_EQ(s.queued(), 0u);
  EXPECT_EQ(s.EstimatedStart(2, kT0), -1);
}

TEST(Scheduler, RestoredDailyCountAllowsExactlyTheRest) {
  const Limits limits = MakeLimits(0, 0, 1, 50);
  uint64_t last_used = 0;
  {
    Scheduler s(OneServer(limits));
    for (uint64_t i = 1; i <= 30; ++i) s.Enqueue(Req(i), kT0);
    for (const Grant& g : s.Dispatch(kT0, 100)) last_used = g.daily_used;
  }
  ASSERT_EQ(last_used, 30u);
  Scheduler s(OneServer(limits));
  s.RestoreDaily("whois.a", kDay, last_used);
  for (uint64_t i = 100; i < 200; ++i) s.Enqueue(Req(i), kT0 + 10);
  std::vector<Grant> g = s.Dispatch(kT0 + 10, 1000);
  ASSERT_EQ(g.size(), 20u);
  EXPECT_EQ(g.back().daily_used, 50u);
  EXPECT_TRUE(s.Dispatch(kT0 + 20'000'000, 1000).empty());  // still the same day
}

TEST(Scheduler, AssumeRestartStartsRatesWithAnEmptyBucket) {
  Options o = OneServer(MakeLimits(0, 1, 5, 0));
  o.servers["whois.unlimited"] = MakeLimits(0, 0, 1, 0);
  Scheduler s(o);
  s.AssumeRestart(kT0);
  s.Enqueue(Req(1, "whois.a"), kT0);  // a key first seen after the restart
  s.Enqueue(Req(2, "whois.unlimited"), kT0);
  EXPECT_EQ(Ids(s.Dispatch(kT0, 10)), (std::vector<uint64_t>{2}));
  EXPECT_EQ(s.NextWakeup(kT0), kT0 + 1'000);
  EXPECT_EQ(Ids(s.Dispatch(kT0 + 1'000, 10)), (std::vector<uint64_t>{1}));
}

TEST(Scheduler, AdoptedTokensHoldConcurrencyAcrossARestart) {
  Scheduler s(OneServer(MakeLimits(2, 0, 1, 10)));
  s.AdoptToken(500, "whois.a", kT0 + 30'000, kT0);
  s.AdoptToken(501, "whois.a", kT0 + 40'000, kT0);
  s.AdoptToken(502, "whois.a", kT0, kT0);  // lease over: ignored
  EXPECT_EQ(s.tokens_out(), 2u);
  s.Enqueue(Req(1), kT0);
  EXPECT_TRUE(s.Dispatch(kT0, 10).empty());
  EXPECT_EQ(s.NextWakeup(kT0), kT0 + 30'000);
  s.Release(501, Outcome::kOk, kT0 + 1'000);
  std::vector<Grant> g = s.Dispatch(kT0 + 1'000, 10);
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].daily_used, 1u);  // adopted tokens are not counted again
  EXPECT_EQ(s.ExpireLeases(kT0 + 30'000), (std::vector<uint64_t>{500}));
}

TEST(Scheduler, LeaseExpiryFreesTheSlot) {
  Options o = OneServer(MakeLimits(1, 0, 1, 0));
  o.lease_ms = 10'000;
  Scheduler s(o);
  s.Enqueue(Req(1), kT0);
  s.Enqueue(Req(2), kT0);
  std::vector<Grant> g = s.Dispatch(kT0, 10);
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(s.NextWakeup(kT0), kT0 + 10'000);
  EXPECT_TRUE(s.ExpireLeases(kT0 + 9'999).empty());
  EXPECT_EQ(s.ExpireLeases(kT0 + 10'000), (std::vector<uint64_t>{g[0].token.id}));
  EXPECT_EQ(s.tokens_out(), 0u);
  EXPECT_EQ(Ids(s.Dispatch(kT0 + 10'000, 10)), (std::vector<uint64_t>{2}));
  // A late return of the expired token does nothing.
  s.Release(g[0].token.id, Outcome::kOk, kT0 + 10'001);
  EXPECT_EQ(s.tokens_out(), 1u);
}

TEST(Scheduler, RoundRobinAcrossClientsAtOneServer) {
  Scheduler s(OneServer(MakeLimits(0, 0, 1, 0)));
  uint64_t id = 1;
  for (int i = 0; i < 10'000; ++i) s.Enqueue(Req(id++, "whois.a", "big"), kT0);
  for (int i = 0; i < 10; ++i) s.Enqueue(Req(id++, "whois.a", "small"), kT0);
  std::vector<Grant> g = s.Dispatch(kT0, 20);
  ASSERT_EQ(g.size(), 20u);
  int small = 0;
  for (size_t i = 0; i < g.size(); ++i) {
    bool is_small = g[i].request_id > 10'000;
    small += is_small;
    EXPECT_EQ(is_small, i % 2 == 1) << i;  // alternating: big, small, big, ...
  }
  EXPECT_EQ(small, 10);
}

TEST(Scheduler, PriorityThenFifoWithinAClient) {
  Scheduler s(OneServer(MakeLimits(0, 0, 1, 0)));
  s.Enqueue(Req(1, "whois.a", "c", 0, 0), kT0);
  s.Enqueue(Req(2, "whois.a", "c", 0, 5), kT0);
  s.Enqueue(Req(3, "whois.a", "c", 0, 0), kT0);
  s.Enqueue(Req(4, "whois.a", "c", 0, 5), kT0);
  s.Enqueue(Req(5, "whois.a", "c", 0, -1), kT0);
  Request retry = Req(6, "whois.a", "c", 0, 0);
  retry.retry = true;
  s.Enqueue(retry, kT0);
  EXPECT_EQ(Ids(s.Dispatch(kT0, 10)), (std::vector<uint64_t>{2, 4, 6, 1, 3, 5}));
}

TEST(Scheduler, GroupSharesOneBudgetAndServesHostsInTurn) {
  Options o = OneServer(MakeLimits(0, 0, 1, 0));
  o.servers["whois.x1"] = MakeLimits(2, 0, 1, 5, "backend");
  o.servers["whois.x2"] = MakeLimits(2, 0, 1, 5, "backend");
  Scheduler s(o);
  EXPECT_EQ(s.LimitKey("whois.x1"), "backend");
  EXPECT_EQ(s.LimitKey("whois.other"), "whois.other");
  for (uint64_t i = 1; i <= 4; ++i) s.Enqueue(Req(i, "whois.x1"), kT0);
  for (uint64_t i = 11; i <= 14; ++i) s.Enqueue(Req(i, "whois.x2"), kT0);
  std::vector<Grant> g = s.Dispatch(kT0, 10);
  ASSERT_EQ(g.size(), 2u);  // concurrency 2 for the group, not per host
  EXPECT_EQ(g[0].token.server, "whois.x1");
  EXPECT_EQ(g[1].token.server, "whois.x2");
  EXPECT_EQ(g[0].limit_key, "backend");
  for (const Grant& x : g) s.Release(x.token.id, Outcome::kOk, kT0);
  g = s.Dispatch(kT0, 10);
  ASSERT_EQ(g.size(), 2u);
  for (const Grant& x : g) s.Release(x.token.id, Outcome::kOk, kT0);
  g = s.Dispatch(kT0, 10);
  ASSERT_EQ(g.size(), 1u);  // daily 5 for the group
  EXPECT_EQ(g[0].daily_used, 5u);
  EXPECT_EQ(g[0].token.server, "whois.x1");
}

TEST(Scheduler, SpentServerDoesNotDelayOthers) {
  Options o = OneServer(MakeLimits(0, 0, 1, 0));
  o.servers["whois.slow"] = MakeLimits(1, 1.0 / 60, 1, 0);
  o.servers["whois.spent"] = MakeLimits(1, 0, 1, 1);
  Scheduler s(o);
  for (uint64_t i = 1; i <= 100; ++i) s.Enqueue(Req(i, "whois.slow"), kT0);
  for (uint64_t i = 101; i <= 200; ++i) s.Enqueue(Req(i, "whois.spent"), kT0);
  for (uint64_t i = 201; i <= 300; ++i) s.Enqueue(Req(i, "whois.fast"), kT0);
  std::vector<Grant> g = s.Dispatch(kT0, 1000);
  EXPECT_EQ(g.size(), 102u);  // 1 slow, 1 spent, all 100 fast
  EXPECT_EQ(s.queued(), 198u);
}

TEST(Scheduler, KeysDueTogetherShareASmallDispatch) {
  Options o = OneServer(MakeLimits(0, 0, 1, 0));  // unlimited: always due
  o.servers["whois.b"] = MakeLimits(1, 1, 1, 0);
  o.servers["whois.c"] = MakeLimits(0, 10, 5, 0);
  Scheduler s(o);
  uint64_t id = 1;
  for (int i = 0; i < 1000; ++i) s.Enqueue(Req(id++, "whois.a"), kT0);
  for (int i = 0; i < 10; ++i) s.Enqueue(Req(id++, "whois.b"), kT0);
  for (int i = 0; i < 10; ++i) s.Enqueue(Req(id++, "whois.c"), kT0);
  std::map<std::string, int> per_server;
  for (const Grant& g : s.Dispatch(kT0, 6)) ++per_server[g.token.server];
  // b allows one now, c five; a does not take them all.
  EXPECT_EQ(per_server["whois.b"], 1);
  EXPECT_GE(per_server["whois.c"], 2);
  EXPECT_GE(per_server["whois.a"], 2);
}

TEST(Scheduler, ThrottleBacksOffAndSuccessesRecoverToTheCeiling) {
  Scheduler s(OneServer(MakeLimits(2, 10, 1, 0)));
  uint64_t id = 1;
  s.Enqueue(Req(id++), kT0);
  std::vector<Grant> g = s.Dispatch(kT0, 10);
  ASSERT_EQ(g.size(), 1u);
  s.Release(g[0].token.id, Outcome::kThrottled, kT0 + 50);
  // The broker re-queues the throttled request at the head.
  Request again = Req(g[0].request_id);
  again.retry = true;
  s.Enqueue(Req(id++), kT0 + 50);
  s.Enqueue(again, kT0 + 50);
  std::vector<schema::ServerStats> st = s.Stats(kT0 + 50);
  ASSERT_EQ(st.size(), 1u);
  EXPECT_DOUBLE_EQ(st[0].effective_per_second, 5);
  EXPECT_EQ(st[0].effective_concurrency, 2u);  // one token out: the rate, not concurrency
  EXPECT_EQ(st[0].throttles, 1u);
  EXPECT_EQ(st[0].paused_until_ms, kT0 + 2'050);
  // Paused: nothing until 2 s later, then the retried request first.
  EXPECT_EQ(s.NextWakeup(kT0 + 50), kT0 + 2'050);
  EXPECT_TRUE(s.Dispatch(kT0 + 2'049, 10).empty());
  g = s.Dispatch(kT0 + 2'050, 10);
  EXPECT_EQ(Ids(g), (std::vector<uint64_t>{1}));
  s.Release(g[0].token.id, Outcome::kOk, kT0 + 2'100);
  // Successes at the effective pace bring the rate quickly back to 90 % of
  // the 10/s the server refused, then probe above slowly, never above 10/s.
  for (int i = 0; i < 400; ++i) s.Enqueue(Req(id++), kT0 + 2'100);
  std::vector<int64_t> times = RunGrantTimes(s, 300, kT0 + 2'100, 1);
  st = s.Stats(times.back());
  EXPECT_GE(st[0].effective_per_second, 9);
  EXPECT_LT(st[0].effective_per_second, 10);
  EXPECT_EQ(st[0].effective_concurrency, 2u);
  for (size_t i = 1; i < times.size(); ++i) EXPECT_GE(times[i] - times[i - 1], 100) << i;
  EXPECT_LE(times.back() - times[times.size() - 2], 112);  // ~ 1 / 9 s
  std::vector<LearnedLimit> learned = s.ExportLearned();
  ASSERT_EQ(learned.size(), 1u);  // throttles are remembered
  EXPECT_EQ(learned[0].throttles, 1u);
}

TEST(Scheduler, RetryAfterPausesAtLeastTheServersWaitCappedAtPauseMax) {
  Options o = OneServer(MakeLimits(2, 10, 1, 0));
  Scheduler s(o);
  s.Enqueue(Req(1), kT0);
  s.Enqueue(Req(2), kT0 + 1);
  std::vector<Grant> g = s.Dispatch(kT0, 10);
  ASSERT_EQ(g.size(), 1u);
  // HTTP 429 with Retry-After: 5 -> 5 s, longer than the first backoff pause (2 s).
  s.Release(g[0].token.id, Outcome::kThrottled, kT0 + 50, 5'000);
  EXPECT_EQ(s.Stats(kT0 + 50)[0].paused_until_ms, kT0 + 5'050);
  EXPECT_EQ(s.NextWakeup(kT0 + 50), kT0 + 5'050);
  EXPECT_TRUE(s.Dispatch(kT0 + 5'049, 10).empty());
  g = s.Dispatch(kT0 + 5'050, 10);
  ASSERT_EQ(g.size(), 1u);
  // A token granted before the backoff is old evidence for the rate, but the
  // server's own wait still holds; an absurd one is capped at pause_max_ms.
  s.Enqueue(Req(3), kT0 + 5'050);
  s.Release(g[0].token.id, Outcome::kThrottled, kT0 + 5'100, int64_t{1} << 40);
  EXPECT_EQ(s.Stats(kT0 + 5'100)[0].paused_until_ms, kT0 + 5'100 + o.backoff.pause_max_ms);
  // A throttle without Retry-After keeps the backoff's own pause.
  Scheduler plain(OneServer(MakeLimits(2, 10, 1, 0)));
  plain.Enqueue(Req(1), kT0);
  g = plain.Dispatch(kT0, 1);
  plain.Release(g[0].token.id, Outcome::kThrottled, kT0 + 50, 0);
  EXPECT_EQ(plain.Stats(kT0 + 50)[0].paused_until_ms, kT0 + 2'050);
}

TEST(Scheduler, LearnedLimitsSurviveARestart) {
  const Options o = OneServer(MakeLimits(3, 4, 1, 0));
  std::vector<LearnedLimit> learned;
  {
    Scheduler s(o);
    s.Enqueue(Req(1), kT0);
    std::vector<Grant> g = s.Dispatch(kT0, 1);
    s.Release(g[0].token.id, Outcome::kRefused, kT0 + 10);
    learned = s.ExportLearned();
  }
  ASSERT_EQ(learned.size(), 1u);
  EXPECT_EQ(learned[0].limit_key, "whois.a");
  Scheduler s(o);
  for (const LearnedLimit& l : learned) s.RestoreLearned(l, kT0 + 20);
  s.Enqueue(Req(2), kT0 + 20);
  EXPECT_EQ(s.NextWakeup(kT0 + 20), kT0 + 2'010);  // still paused
  std::vector<schema::ServerStats> st = s.Stats(kT0 + 20);
  EXPECT_DOUBLE_EQ(st[0].effective_per_second, 2);
  EXPECT_EQ(st[0].effective_concurrency, 3u);  // one token out: the rate, not concurrency
  EXPECT_EQ(st[0].concurrency, 3u);
  EXPECT_EQ(learned[0].burst, 1u);
  EXPECT_DOUBLE_EQ(st[0].per_second, 4);
}

TEST(Scheduler, CancelRemovesAQueuedRequest) {
  Scheduler s(OneServer(MakeLimits(0, 1, 1, 0)));
  s.Enqueue(Req(1), kT0);
  s.Enqueue(Req(2), kT0);
  s.Enqueue(Req(3), kT0);
  EXPECT_TRUE(s.Cancel(2));
  EXPECT_FALSE(s.Cancel(2));
  EXPECT_FALSE(s.Cancel(99));
  EXPECT_EQ(s.queued(), 2u);
  std::vector<int64_t> times = RunGrantTimes(s, 2, kT0, 1);
  EXPECT_EQ(times, (std::vector<int64_t>{kT0, kT0 + 1000}));
  EXPECT_EQ(s.NextWakeup(kT0 + 1000), kT0 + 61'000);  // queue empty: the last token's lease
}

TEST(Scheduler, NextWakeupIsTheEarliestOfGrantDeadlineAndLease) {
  Options o = OneServer(MakeLimits(1, 0.1, 1, 0));  // one per 10 s
  o.lease_ms = 4'000;
  Scheduler s(o);
  EXPECT_EQ(s.NextWakeup(kT0), INT64_MAX);
  s.Enqueue(Req(1), kT0);
  s.Enqueue(Req(2, "whois.a", "c", kT0 + 7'000), kT0);
  s.Enqueue(Req(3), kT0);
  EXPECT_EQ(s.NextWakeup(kT0), kT0);
  std::vector<Grant> g = s.Dispatch(kT0, 10);
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(s.NextWakeup(kT0), kT0 + 4'000);  // lease
  s.Release(g[0].token.id, Outcome::kOk, kT0 + 1'000);
  EXPECT_EQ(s.NextWakeup(kT0 + 1'000), kT0 + 7'000);  // deadline of 2
  EXPECT_EQ(s.TakeRejections(kT0 + 7'000).size(), 1u);
  EXPECT_EQ(s.NextWakeup(kT0 + 7'000), kT0 + 10'000);  // rate
  EXPECT_EQ(Ids(s.Dispatch(kT0 + 10'000, 10)), (std::vector<uint64_t>{3}));
}

TEST(Scheduler, NextWakeupWithoutFreeWorkersLeavesGrantsOut) {
  Options o = OneServer(MakeLimits(0, 0, 1, 0));
  o.lease_ms = 9'000;
  Scheduler s(o);
  s.Enqueue(Req(1), kT0);
  s.Enqueue(Req(2, "whois.a", "c", kT0 + 5'000), kT0);
  ASSERT_EQ(s.Dispatch(kT0, 1).size(), 1u);
  EXPECT_EQ(s.NextWakeup(kT0), kT0);                 // request 2 could go now
  EXPECT_EQ(s.NextWakeup(kT0, false), kT0 + 5'000);  // no worker: its deadline
  s.Cancel(2);
  EXPECT_EQ(s.NextWakeup(kT0, false), kT0 + 9'000);  // the lease
}

TEST(Scheduler, EstimatedStartFollowsTheQueue) {
  Scheduler s(OneServer(MakeLimits(0, 1, 1, 0)));
  for (uint64_t i = 1; i <= 5; ++i) s.Enqueue(Req(i), kT0);
  EXPECT_EQ(s.EstimatedStart(1, kT0), kT0);
  EXPECT_EQ(s.EstimatedStart(3, kT0), kT0 + 2'000);
  EXPECT_EQ(s.EstimatedStart(5, kT0), kT0 + 4'000);
  // Another client's requests interleave.
  for (uint64_t i = 11; i <= 15; ++i) s.Enqueue(Req(i, "whois.a", "d"), kT0);
  EXPECT_EQ(s.EstimatedStart(3, kT0), kT0 + 4'000);  // 1, 11, 2, 12, then 3
  EXPECT_EQ(s.EstimatedStart(99, kT0), -1);
  // The estimate is exact here: compare with the run.
  std::map<uint64_t, int64_t> started;
  int64_t now = kT0;
  while (s.queued() > 0) {
    now = s.NextWakeup(now);
    for (const Grant& g : s.Dispatch(now, 10)) {
      started[g.request_id] = now;
      s.Release(g.token.id, Outcome::kOk, now);
    }
  }
  EXPECT_EQ(started[3], kT0 + 4'000);
  EXPECT_EQ(started[13], kT0 + 5'000);
}

TEST(Scheduler, StatsReportEveryHost) {
  Options o = OneServer(MakeLimits(0, 0, 1, 100));
  o.servers["whois.x"] = MakeLimits(5, 2, 1, 10);
  Scheduler s(o);
  s.Enqueue(Req(1, "whois.x"), kT0);
  s.Enqueue(Req(2, "whois.x"), kT0);
  s.Enqueue(Req(3, "whois.y"), kT0);
  s.Dispatch(kT0, 10);
  std::vector<schema::ServerStats> st = s.Stats(kT0);
  ASSERT_EQ(st.size(), 2u);
  const schema::ServerStats& x = st[0].server == "whois.x" ? st[0] : st[1];
  EXPECT_EQ(x.limit_key, "whois.x");
  EXPECT_EQ(x.tokens_out, 1u);
  EXPECT_EQ(x.queued, 1u);
  EXPECT_EQ(x.granted, 1u);
  EXPECT_EQ(x.spent_today, 1u);
  EXPECT_EQ(x.daily, 10u);
  EXPECT_EQ(x.concurrency, 5u);
  EXPECT_EQ(x.effective_concurrency, 5u);
  EXPECT_DOUBLE_EQ(x.per_second, 2);
  EXPECT_EQ(x.next_eligible_ms, kT0 + 500);
}

TEST(Scheduler, ValidateOptionsNamesTheField) {
  struct Case {
    const char* name;
    Options options;
    const char* expect;  // substring of the message; "" = ok
  };
  std::vector<Case> cases;
  cases.push_back({"defaults", Options{}, ""});
  Options o;
  o.servers["whois.x"] = MakeLimits(1, -1, 1, 0);
  cases.push_back({"negative rate", o, "servers[whois.x].per_second"});
  o = Options{};
  o.servers["whois.x"] = MakeLimits(1, 1, 0, 0);
  cases.push_back({"burst 0", o, "servers[whois.x].burst must be >= 1"});
  o = Options{};
  o.servers["whois.x"] = MakeLimits(2, 1, 1, 0, "g");
  o.servers["whois.y"] = MakeLimits(3, 1, 1, 0, "g");
  cases.push_back({"group disagrees", o, "servers[whois.y] limits differ from servers[whois.x]"});
  o = Options{};
  o.lease_ms = 0;
  cases.push_back({"lease", o, "lease_ms must be > 0"});
  o = Options{};
  o.backoff.decrease_factor = 1;
  cases.push_back({"backoff", o, "backoff.decrease_factor"});
  o = Options{};
  o.backoff.safe_fraction = 0;
  cases.push_back({"safe fraction", o, "backoff.safe_fraction must be in (0, 1]"});
  o = Options{};
  o.backoff.probe_every_max = 10;
  cases.push_back({"probe pace", o, "backoff.probe_every_max must be >= backoff.probe_every"});
  o = Options{};
  o.backoff.forget_after_ms = 0;
  cases.push_back({"forget", o, "backoff.forget_after_ms must be > 0"});
  for (const Case& c : cases) {
    schema::Status st = ValidateOptions(c.options);
    if (std::string(c.expect).empty()) {
      EXPECT_TRUE(st.ok()) << c.name << ": " << st.message();
    } else {
      EXPECT_FALSE(st.ok()) << c.name;
      EXPECT_NE(st.message().find(c.expect), std::string::npos) << c.name << ": " << st.message();
    }
  }
}

TEST(Scheduler, EstimatedStartInAGroup) {
  Options o = OneServer(MakeLimits(0, 0, 1, 0));
  o.servers["whois.x1"] = MakeLimits(0, 1, 1, 0, "g");
  o.servers["whois.x2"] = MakeLimits(0, 1, 1, 0, "g");
  Scheduler s(o);
  for (uint64_t i = 1; i <= 3; ++i) s.Enqueue(Req(i, "whois.x1"), kT0);
  for (uint64_t i = 11; i <= 13; ++i) s.Enqueue(Req(i, "whois.x2"), kT0);
  // Hosts in turn: 1, 11, 2, 12, 3, 13 at one per second.
  EXPECT_EQ(s.EstimatedStart(2, kT0), kT0 + 2'000);
  EXPECT_EQ(s.EstimatedStart(12, kT0), kT0 + 3'000);
  EXPECT_EQ(s.EstimatedStart(13, kT0), kT0 + 5'000);
}

TEST(Scheduler, ManyCancelsKeepTheOrderOfTheRest) {
  // Enough cancels in one client queue to compact it (stale > live).
  Scheduler s(OneServer(MakeLimits(0, 0, 1, 0)));
  for (uint64_t i = 1; i <= 300; ++i) {
    s.Enqueue(Req(i, "whois.a", "c", 0, static_cast<int32_t>(i % 2)), kT0);
  }
  for (uint64_t i = 1; i <= 300; ++i) {
    if (i % 3 != 0) {
      ASSERT_TRUE(s.Cancel(i));
    }
  }
  EXPECT_EQ(s.queued(), 100u);
  std::vector<uint64_t> want;
  for (uint64_t i = 3; i <= 300; i += 6) want.push_back(i);  // odd: priority 1
  for (uint64_t i = 6; i <= 300; i += 6) want.push_back(i);  // even: priority 0
  EXPECT_EQ(Ids(s.Dispatch(kT0, 1000)), want);
}

TEST(Scheduler, RestoreDailyOfAGroup) {
  Options o = OneServer(MakeLimits(0, 0, 1, 0));
  o.servers["whois.x1"] = MakeLimits(0, 0, 1, 10, "backend");
  o.servers["whois.x2"] = MakeLimits(0, 0, 1, 10, "backend");
  Scheduler s(o);
  s.RestoreDaily("backend", kDay, 8);
  for (uint64_t i = 1; i <= 5; ++i) s.Enqueue(Req(i, i % 2 ? "whois.x1" : "whois.x2"), kT0);
  std::vector<Grant> g = s.Dispatch(kT0, 10);
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(g[1].daily_used, 10u);
  EXPECT_EQ(g[1].limit_key, "backend");
}

}  // namespace
}  // namespace whoisq::scheduler
