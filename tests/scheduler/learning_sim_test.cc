// The learning of unpublished limits against a simulated server whose real
// limits are below the configured ones (docs/scheduler.md "Learning"): over 5
// simulated minutes of saturated traffic, throttled answers stay under 2 % of
// the queries sent and the throughput of the last 2 minutes reaches 80 % of
// what the real limits allow, never above what the configured ones allow.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "scheduler/scheduler.h"
#include "tests/scheduler/server_model.h"

namespace whoisq::scheduler {
namespace {

using testing::ServerModelOptions;
using testing::ServerSimulation;
using testing::SimFigures;

constexpr int64_t kT0 = 20'000LL * kDayMs + 3'600'000;  // 01:00 UTC
constexpr int64_t kRunMs = 300'000;                     // 5 simulated minutes
constexpr int64_t kWindowMs = 120'000;                  // throughput over the last 2
constexpr double kMaxThrottledShare = 0.02;
constexpr double kMinShareOfRealLimit = 0.80;

struct SimCase {
  const char* name;
  Limits configured;
  ServerModelOptions model;
};

void PrintTo(const SimCase& c, std::ostream* os) { *os << c.name; }

// Queries per second a server with these limits can sustain with this service
// time (0 = a limit that does not bind).
double Capacity(double per_second, uint32_t concurrency, int64_t service_ms) {
  double c = per_second > 0 ? per_second : 1e18;
  if (concurrency > 0) c = std::min(c, concurrency * 1000.0 / static_cast<double>(service_ms));
  return c;
}

Limits Configured(uint32_t concurrency, double per_second, uint32_t burst) {
  Limits l;
  l.concurrency = concurrency;
  l.per_second = per_second;
  l.burst = burst;
  l.daily = 0;
  return l;
}

ServerModelOptions Real(int concurrency, double per_second, int burst, int64_t service_ms,
                        int64_t service_jitter_ms = 0, int64_t network_delay_ms = 0) {
  ServerModelOptions m;
  m.real.concurrency = concurrency;
  m.real.per_second = per_second;
  m.real.burst = burst;
  m.real.daily = 0;
  m.service_ms = service_ms;
  m.service_jitter_ms = service_jitter_ms;
  m.network_delay_ms = network_delay_ms;
  return m;
}

Options OneServer(const Limits& l) {
  Options o;
  o.servers[ServerSimulation::kHost] = l;
  o.lease_ms = 60'000;
  return o;
}

std::vector<SimCase> Cases() {
  return {
      // Real rate a quarter of the configured one; concurrency does not bind.
      {"rate_quarter", Configured(8, 4, 4), Real(0, 1, 1, 200)},
      {"rate_quarter_jitter", Configured(8, 4, 4), Real(0, 1, 1, 150, 200, 20)},
      // Real concurrency a quarter; rate does not bind (4 q/s at 2 x 500 ms).
      {"concurrency_quarter", Configured(8, 0, 1), Real(2, 0, 1, 500)},
      {"concurrency_quarter_jitter", Configured(8, 0, 1), Real(2, 0, 1, 400, 200, 20)},
      // Both a quarter: real 2 at once and 2/s with 500 ms service.
      {"both_quarter", Configured(8, 8, 4), Real(2, 2, 1, 500)},
      {"both_quarter_jitter", Configured(8, 8, 4), Real(2, 2, 1, 400, 200, 20)},
      // Real limits as configured: nothing to learn, no throttle.
      {"real_equals_configured", Configured(2, 4, 4), Real(2, 4, 4, 200, 100, 10)},
      // Same rate, but the server allows no burst.
      {"burst_1_vs_10", Configured(8, 4, 10), Real(0, 4, 1, 200)},
      {"burst_1_vs_10_jitter", Configured(8, 4, 10), Real(0, 4, 1, 150, 200, 10)},
      // More shapes: a limit just under the configured one, a quarter of a
      // higher rate, concurrency 3 of 8 with slow, variable answers.
      {"rate_90_percent", Configured(8, 4, 4), Real(0, 3.6, 4, 200, 100, 20)},
      {"rate_quarter_of_8", Configured(8, 8, 4), Real(0, 2, 1, 200, 100, 20)},
      {"concurrency_3_of_8", Configured(8, 0, 1), Real(3, 0, 1, 500, 500, 30)},
      // A rate is configured but the server counts connections (a quarter),
      // alone or with a rate of its own.
      {"concurrency_quarter_rate_configured", Configured(8, 20, 4), Real(2, 0, 1, 500, 200, 20)},
      {"concurrency_binds_both_limited", Configured(8, 16, 8), Real(2, 4, 2, 500, 200, 20)},
  };
}

class LearningSim : public ::testing::TestWithParam<SimCase> {};

TEST_P(LearningSim, FewThrottlesAndConvergesToTheRealLimit) {
  const SimCase& c = GetParam();
  Scheduler s(OneServer(c.configured));
  ServerSimulation sim(c.model, /*seed=*/42, kT0);
  SimFigures f = sim.Run(s, kT0 + kRunMs, kT0 + kRunMs - kWindowMs);

  const double service = static_cast<double>(c.model.service_ms) +
                         static_cast<double>(c.model.service_jitter_ms) / 2 +
                         static_cast<double>(c.model.network_delay_ms);
  const double real = Capacity(c.model.real.per_second,
                               static_cast<uint32_t>(c.model.real.concurrency),
                               static_cast<int64_t>(service));
  const double configured =
      Capacity(c.configured.per_second, c.configured.concurrency, c.model.service_ms);
  const double throughput = static_cast<double>(f.ok_in_window) * 1000.0 / kWindowMs;
  const double sent_rate = static_cast<double>(f.sent_in_window) * 1000.0 / kWindowMs;
  std::vector<schema::ServerStats> st = s.Stats(sim.now());
  ASSERT_EQ(st.size(), 1u);

  std::printf("[ %-35s ] sent %5llu throttled %3llu (%.2f %%)  last 2 min %.3f q/s = %5.1f %% of "
              "real %.3f (configured %.3f)  learned %.3f/s x %u\n",
              c.name, static_cast<unsigned long long>(f.sent),
              static_cast<unsigned long long>(f.throttled), 100 * f.throttled_share(), throughput,
              100 * throughput / real, real, configured, st[0].effective_per_second,
              st[0].effective_concurrency);
  RecordProperty("throttled_percent", std::to_string(100 * f.throttled_share()));
  RecordProperty("throughput_percent_of_real", std::to_string(100 * throughput / real));

  EXPECT_LT(f.throttled_share(), kMaxThrottledShare) << c.name;
  EXPECT_GE(throughput, kMinShareOfRealLimit * real) << c.name;
  if (c.configured.per_second > 0) {
    EXPECT_LE(sent_rate, c.configured.per_second + 1e-9) << c.name;
    EXPECT_LE(st[0].effective_per_second, c.configured.per_second) << c.name;
  }
  if (c.configured.concurrency > 0) {
    EXPECT_LE(st[0].effective_concurrency, c.configured.concurrency) << c.name;
    EXPECT_LE(sim.model().max_open_seen(), static_cast<int>(c.configured.concurrency)) << c.name;
  }
  if (std::string(c.name) == "real_equals_configured") {
    EXPECT_EQ(f.throttled, 0u);
    EXPECT_TRUE(s.ExportLearned().empty());  // nothing learned, nothing to persist
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, LearningSim, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<SimCase>& i) { return i.param.name; });

// A broker restart half-way: what was learned is exported, restored into a
// new scheduler (as the broker does through RocksDB) and shows in Stats; the
// restarted scheduler does not throttle the server again.
TEST(LearningSimRestart, WhatWasLearnedSurvivesARestart) {
  const Options o = OneServer(Configured(8, 4, 4));
  ServerSimulation sim(Real(0, 1, 1, 200, 100, 20), /*seed=*/7, kT0);
  auto s = std::make_unique<Scheduler>(o);
  SimFigures before = sim.Run(*s, kT0 + 150'000, kT0 + 30'000);
  std::vector<LearnedLimit> learned = s->ExportLearned();
  ASSERT_EQ(learned.size(), 1u);
  EXPECT_LT(learned[0].per_second, 1.0);
  EXPECT_EQ(learned[0].burst, 1u);
  EXPECT_GT(learned[0].confirmed_per_second, 0.0);

  s = std::make_unique<Scheduler>(o);
  sim.ForgetTokens();
  for (const LearnedLimit& l : learned) s->RestoreLearned(l, sim.now());
  s->AssumeRestart(sim.now());
  std::vector<schema::ServerStats> st = s->Stats(sim.now());
  ASSERT_EQ(st.size(), 1u);
  EXPECT_DOUBLE_EQ(st[0].effective_per_second, learned[0].per_second);
  EXPECT_EQ(st[0].throttles, learned[0].throttles);
  sim.Refill(*s);
  SimFigures after = sim.Run(*s, kT0 + 300'000, kT0 + 180'000);
  const double throughput = static_cast<double>(after.ok_in_window) * 1000.0 / kWindowMs;
  std::printf("[ restart at 150 s            ] before: sent %llu throttled %llu; after: sent %llu "
              "throttled %llu, last 2 min %.3f q/s of real 1.000\n",
              static_cast<unsigned long long>(before.sent),
              static_cast<unsigned long long>(before.throttled),
              static_cast<unsigned long long>(after.sent),
              static_cast<unsigned long long>(after.throttled), throughput);
  EXPECT_EQ(after.throttled, 0u);
  EXPECT_GE(throughput, kMinShareOfRealLimit);
  EXPECT_LT(static_cast<double>(before.throttled + after.throttled),
            kMaxThrottledShare * static_cast<double>(before.sent + after.sent));
}

}  // namespace
}  // namespace whoisq::scheduler
