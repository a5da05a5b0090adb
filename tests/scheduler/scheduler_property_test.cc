// Randomized property test: random enqueue, cancel, dispatch, release (with
// throttles) and lease expiry over many steps; at every grant, an independent
// checker asserts that no configured limit is exceeded, and at every step that
// the scheduler did all the limits allowed. Run with a ms clock (Dispatch,
// NextWakeup) and with a µs clock (DispatchUs, NextWakeupUs).
#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "scheduler/scheduler.h"

namespace whoisq::scheduler {
namespace {

using schema::ErrorCode;

constexpr int64_t kT0 = 20'000 * kDayMs + 80'000'000;  // 22:13 UTC: crosses midnight soon

struct KeyCheck {
  Limits limits;
  std::vector<int64_t> grant_times_us;
  std::map<int64_t, uint64_t> per_day;
  std::set<uint64_t> out;  // tokens
};

using Queued = Request;

// The limit key as configured: the host's group, or the host.
std::string KeyOf(const Options& o, const std::string& host) {
  auto it = o.servers.find(host);
  const Limits& l = it == o.servers.end() ? o.default_limits : it->second;
  return l.group.empty() ? host : l.group;
}

class Checker {
 public:
  explicit Checker(const Options& o) : options_(o) {}

  // A grant at the Unix µs now_us.
  void OnGrant(const Grant& g, int64_t now_us, const std::map<uint64_t, Queued>& queued) {
    auto q = queued.find(g.request_id);
    ASSERT_NE(q, queued.end()) << "granted a request not queued: " << g.request_id;
    ASSERT_EQ(q->second.server, g.token.server);
    ASSERT_TRUE(q->second.deadline_ms == 0 || now_us < q->second.deadline_ms * 1000);
    const int64_t now = FloorMs(now_us);
    const std::string key = KeyOf(options_, g.token.server);
    ASSERT_EQ(g.limit_key, key);
    KeyCheck& k = Key(key, g.token.server);
    // Concurrency.
    k.out.insert(g.token.id);
    token_key_[g.token.id] = key;
    if (k.limits.concurrency != 0) {
      ASSERT_LE(k.out.size(), k.limits.concurrency) << key;
    }
    // Daily count, as reported.
    int64_t day = DayOf(now);
    uint64_t used = ++k.per_day[day];
    ASSERT_EQ(g.day, day);
    ASSERT_EQ(g.daily_used, used);
    if (k.limits.daily != 0) {
      ASSERT_LE(used, k.limits.daily) << key;
    }
    // Rate: for every earlier grant i, (n - burst) * T <= t_n - t_i, i.e.
    // n - burst <= (t_n - t_i) * per_second / 10^6 (n = grants in [t_i, t_n] - 1; t in µs).
    k.grant_times_us.push_back(now_us);
    if (k.limits.per_second > 0) {
      const auto& t = k.grant_times_us;
      size_t j = t.size() - 1;
      for (size_t i = 0; i < j; ++i) {
        double cells = static_cast<double>(j - i) + 1 - std::max<uint32_t>(k.limits.burst, 1);
        double allowed = static_cast<double>(t[j] - t[i]) * k.limits.per_second / 1e6;
        ASSERT_LE(cells, allowed + 1e-9) << key << " grants " << i << ".." << j << " at µs "
                                         << t[i] - kT0 * 1000 << ".." << t[j] - kT0 * 1000;
      }
    }
    ++grants_;
  }

  void OnTokenBack(uint64_t token) {
    auto it = token_key_.find(token);
    ASSERT_NE(it, token_key_.end());
    keys_[it->second].out.erase(token);
    token_key_.erase(it);
  }

  uint64_t grants() const { return grants_; }

  // What the broker persisted: the count of every key for `day`.
  std::vector<std::pair<std::string, uint64_t>> DailyCounts(int64_t day) const {
    std::vector<std::pair<std::string, uint64_t>> out;
    for (const auto& [key, k] : keys_) {
      auto it = k.per_day.find(day);
      if (it != k.per_day.end()) out.emplace_back(key, it->second);
    }
    return out;
  }

 private:
  KeyCheck& Key(const std::string& key, const std::string& host) {
    auto it = keys_.find(key);
    if (it != keys_.end()) return it->second;
    auto conf = options_.servers.find(host);
    KeyCheck k;
    k.limits = conf == options_.servers.end() ? options_.default_limits : conf->second;
    return keys_.emplace(key, k).first->second;
  }

  const Options& options_;
  std::map<std::string, KeyCheck> keys_;
  std::map<uint64_t, std::string> token_key_;
  uint64_t grants_ = 0;
};

Limits RandomLimits(std::mt19937& rng, std::string group = "") {
  static const uint32_t kConc[] = {0, 1, 2, 3};
  static const double kRate[] = {0, 0.5, 1, 3, 7, 1.0 / 3};
  static const uint32_t kBurst[] = {1, 2, 4};
  static const uint64_t kDaily[] = {0, 5, 40};
  Limits l;
  l.concurrency = kConc[rng() % 4];
  l.per_second = kRate[rng() % 6];
  l.burst = kBurst[rng() % 3];
  l.daily = kDaily[rng() % 3];
  l.group = std::move(group);
  return l;
}

// micros: the clock moves in µs and grants go through DispatchUs/NextWakeupUs
// (the other calls get the whole ms); else everything is whole ms.
void RunRandom(uint32_t seed, int steps, bool micros) {
  std::mt19937 rng(seed);
  Options o;
  o.default_limits = RandomLimits(rng);
  o.lease_ms = 5'000;
  std::vector<std::string> hosts = {"a", "b", "c", "d", "g1", "g2", "g3", "e"};
  for (const char* h : {"a", "b", "c", "d"}) o.servers[h] = RandomLimits(rng);
  Limits group = RandomLimits(rng, "grp");
  for (const char* h : {"g1", "g2", "g3"}) o.servers[h] = group;
  // "e" uses the defaults.
  std::vector<std::string> clients = {"x", "y", "z"};

  auto sched = std::make_unique<Scheduler>(o);
  Checker check(o);
  std::map<uint64_t, Queued> queued;
  std::vector<uint64_t> out;
  std::map<uint64_t, std::pair<std::string, int64_t>> token_info;  // host, lease end
  int64_t now = kT0;            // whole ms, for every call but the two below
  int64_t now_us = kT0 * 1000;  // the grant clock: Dispatch(Us), NextWakeup(Us)
  auto set_now_us = [&](int64_t t) {
    now_us = t;
    now = FloorMs(t);
  };
  auto next_wakeup_us = [&]() {
    return micros ? sched->NextWakeupUs(now_us) : MsToUs(sched->NextWakeup(now));
  };
  uint64_t next_id = 1;
  uint64_t rejected = 0, cancelled = 0, restarts = 0;

  auto settle = [&](bool expect_progress) {
    bool progress = false;
    for (uint64_t t : sched->ExpireLeases(now)) {
      check.OnTokenBack(t);
      out.erase(std::find(out.begin(), out.end(), t));
      progress = true;
    }
    for (const Grant& g : micros ? sched->DispatchUs(now_us, SIZE_MAX)
                                 : sched->Dispatch(now, SIZE_MAX)) {
      check.OnGrant(g, now_us, queued);
      queued.erase(g.request_id);
      out.push_back(g.token.id);
      token_info[g.token.id] = {g.token.server, g.token.lease_until_ms};
      progress = true;
    }
    for (const Rejection& r : sched->TakeRejections(now)) {
      auto it = queued.find(r.request_id);
      ASSERT_NE(it, queued.end());
      if (r.code == ErrorCode::kDeadline) {
        ASSERT_LE(it->second.deadline_ms, now);
      } else {
        ASSERT_EQ(r.code, ErrorCode::kQuotaExhausted);
        ASSERT_NE(it->second.deadline_ms, 0);
        ASSERT_LE(it->second.deadline_ms, (DayOf(now) + 1) * kDayMs);
      }
      queued.erase(it);
      ++rejected;
      progress = true;
    }
    if (expect_progress) {
      ASSERT_TRUE(progress) << "woke at " << now - kT0 << " for nothing";
    }
    // Work-conserving: nothing more is due now.
    ASSERT_GT(next_wakeup_us(), now_us);
    ASSERT_EQ(sched->queued(), queued.size());
    ASSERT_EQ(sched->tokens_out(), out.size());
    // Stats add up; estimates are in the future for queued requests only.
    uint64_t stats_queued = 0, stats_out = 0;
    for (const schema::ServerStats& st : sched->Stats(now)) {
      stats_queued += st.queued;
      stats_out += st.tokens_out;
      ASSERT_LE(st.effective_per_second, st.per_second);
      if (st.concurrency != 0) {
        ASSERT_LE(st.effective_concurrency, st.concurrency);
      }
    }
    ASSERT_EQ(stats_queued, queued.size());
    ASSERT_EQ(stats_out, out.size());
    if (!queued.empty()) {
      auto it = queued.begin();
      std::advance(it, rng() % queued.size());
      ASSERT_GE(sched->EstimatedStart(it->first, now), now);
    }
    ASSERT_EQ(sched->EstimatedStart(next_id + 1, now), -1);
  };

  for (int step = 0; step < steps; ++step) {
    int op = static_cast<int>(rng() % 100);
    if (op < 40) {
      int n = 1 + static_cast<int>(rng() % 5);
      for (int i = 0; i < n; ++i) {
        Request r;
        r.id = next_id++;
        r.server = hosts[rng() % hosts.size()];
        r.client = clients[rng() % clients.size()];
        r.priority = static_cast<int32_t>(rng() % 3);
        r.retry = rng() % 10 == 0;
        if (rng() % 3 == 0) r.deadline_ms = now + static_cast<int64_t>(rng() % 20'000);
        sched->Enqueue(r, now);
        queued[r.id] = r;
      }
    } else if (op < 45 && !queued.empty()) {
      auto it = queued.begin();
      std::advance(it, rng() % queued.size());
      ASSERT_TRUE(sched->Cancel(it->first));
      queued.erase(it);
      ++cancelled;
    } else if (op < 75 && !out.empty()) {
      size_t i = rng() % out.size();
      uint64_t t = out[i];
      out.erase(out.begin() + static_cast<long>(i));
      int o2 = static_cast<int>(rng() % 20);
      Outcome outcome = o2 == 0 ? Outcome::kThrottled
                        : o2 == 1 ? Outcome::kRefused
                        : o2 == 2 ? Outcome::kTimeout
                                  : Outcome::kOk;
      sched->Release(t, outcome, now);
      check.OnTokenBack(t);
    } else if (op == 89 && rng() % 4 == 0) {
      // Restart: some running jobs end with the old process, the others are
      // reported by their workers and adopted; the broker restores the daily
      // counts and learned limits, re-queues its journal, and declares the
      // restart. The checker keeps its history across it.
      std::vector<LearnedLimit> learned = sched->ExportLearned();
      sched = std::make_unique<Scheduler>(o);
      std::vector<uint64_t> still_out;
      for (uint64_t t : out) {
        if (rng() % 2 == 0) {
          check.OnTokenBack(t);
        } else {
          sched->AdoptToken(t, token_info[t].first, token_info[t].second, now);
          still_out.push_back(t);
        }
      }
      out = still_out;
      for (const auto& [key, used] : check.DailyCounts(DayOf(now))) {
        sched->RestoreDaily(key, DayOf(now), used);
      }
      for (const LearnedLimit& l : learned) sched->RestoreLearned(l, now);
      sched->AssumeRestart(CeilMs(now_us));  // not before the old process's last grant
      for (const auto& [id, r] : queued) sched->Enqueue(r, now);
      ++restarts;
    } else if (op < 90) {
      // Jump to the next wake-up: something must happen there.
      int64_t wake = next_wakeup_us();
      if (wake != INT64_MAX && wake - now_us < 3 * kDayMs * 1000) {
        set_now_us(wake);
        settle(true);
        if (::testing::Test::HasFatalFailure()) return;
        continue;
      }
    } else {
      int64_t span_ms = op < 99 ? 3'000 : 4 * 3'600'000;
      set_now_us(micros ? now_us + static_cast<int64_t>(rng() % (span_ms * 1000))
                        : (now + static_cast<int64_t>(rng() % span_ms)) * 1000);
    }
    settle(false);
    if (::testing::Test::HasFatalFailure()) return;
  }
  EXPECT_GT(check.grants(), 100u) << "seed " << seed;
  EXPECT_GT(rejected + cancelled, 0u) << "seed " << seed;
  EXPECT_GT(restarts, 0u) << "seed " << seed;
}

TEST(SchedulerProperty, NeverExceedsALimitAndNeverIdlesWhenAllowed) {
  for (uint32_t seed = 1; seed <= 30; ++seed) {
    SCOPED_TRACE(seed);
    RunRandom(seed, 4'000, false);
    if (HasFatalFailure()) return;
  }
}

TEST(SchedulerProperty, NeverExceedsALimitAndNeverIdlesWhenAllowedWithAMicrosecondClock) {
  for (uint32_t seed = 1; seed <= 30; ++seed) {
    SCOPED_TRACE(seed);
    RunRandom(seed, 4'000, true);
    if (HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace whoisq::scheduler
