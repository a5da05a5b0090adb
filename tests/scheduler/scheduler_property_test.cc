// Randomized property test: random enqueue, cancel, dispatch, release (with
// throttles) and lease expiry over many steps; at every grant, an independent
// checker asserts that no configured limit is exceeded, and at every step that
// the scheduler did all the limits allowed.
#include <cmath>
#include <map>
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
  std::vector<int64_t> grant_times;
  std::map<int64_t, uint64_t> per_day;
  std::set<uint64_t> out;  // tokens
};

struct Queued {
  std::string server;
  int64_t deadline_ms;
};

class Checker {
 public:
  Checker(const Options& o, const Scheduler& s) : options_(o), s_(s) {}

  void OnGrant(const Grant& g, int64_t now, const std::map<uint64_t, Queued>& queued) {
    auto q = queued.find(g.request_id);
    ASSERT_NE(q, queued.end()) << "granted a request not queued: " << g.request_id;
    ASSERT_EQ(q->second.server, g.token.server);
    ASSERT_TRUE(q->second.deadline_ms == 0 || now < q->second.deadline_ms);
    const std::string key = s_.LimitKey(g.token.server);
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
    // n - burst <= (t_n - t_i) * per_second / 1000 (n = grants in [t_i, t_n] - 1).
    k.grant_times.push_back(now);
    if (k.limits.per_second > 0) {
      const auto& t = k.grant_times;
      size_t j = t.size() - 1;
      for (size_t i = 0; i < j; ++i) {
        double cells = static_cast<double>(j - i) + 1 - std::max<uint32_t>(k.limits.burst, 1);
        double allowed = static_cast<double>(t[j] - t[i]) * k.limits.per_second / 1000.0;
        ASSERT_LE(cells, allowed + 1e-9) << key << " grants " << i << ".." << j << " at "
                                         << t[i] - kT0 << ".." << t[j] - kT0;
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
  const Scheduler& s_;
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

void RunRandom(uint32_t seed, int steps) {
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

  Scheduler s(o);
  Checker check(o, s);
  std::map<uint64_t, Queued> queued;
  std::vector<uint64_t> out;
  int64_t now = kT0;
  uint64_t next_id = 1;
  uint64_t rejected = 0, cancelled = 0;

  auto settle = [&](bool expect_progress) {
    bool progress = false;
    for (uint64_t t : s.ExpireLeases(now)) {
      check.OnTokenBack(t);
      out.erase(std::find(out.begin(), out.end(), t));
      progress = true;
    }
    for (const Grant& g : s.Dispatch(now, SIZE_MAX)) {
      check.OnGrant(g, now, queued);
      queued.erase(g.request_id);
      out.push_back(g.token.id);
      progress = true;
    }
    for (const Rejection& r : s.TakeRejections(now)) {
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
    ASSERT_GT(s.NextWakeup(now), now);
    ASSERT_EQ(s.queued(), queued.size());
    ASSERT_EQ(s.tokens_out(), out.size());
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
        s.Enqueue(r, now);
        queued[r.id] = {r.server, r.deadline_ms};
      }
    } else if (op < 45 && !queued.empty()) {
      auto it = queued.begin();
      std::advance(it, rng() % queued.size());
      ASSERT_TRUE(s.Cancel(it->first));
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
      s.Release(t, outcome, now);
      check.OnTokenBack(t);
    } else if (op < 90) {
      // Jump to the next wake-up: something must happen there.
      int64_t wake = s.NextWakeup(now);
      if (wake != INT64_MAX && wake - now < 3 * kDayMs) {
        now = wake;
        settle(true);
        if (::testing::Test::HasFatalFailure()) return;
        continue;
      }
    } else {
      now += static_cast<int64_t>(rng() % (op < 99 ? 3'000 : 4 * 3'600'000));
    }
    settle(false);
    if (::testing::Test::HasFatalFailure()) return;
  }
  EXPECT_GT(check.grants(), 100u) << "seed " << seed;
  EXPECT_GT(rejected + cancelled, 0u) << "seed " << seed;
}

TEST(SchedulerProperty, NeverExceedsALimitAndNeverIdlesWhenAllowed) {
  for (uint32_t seed = 1; seed <= 30; ++seed) {
    SCOPED_TRACE(seed);
    RunRandom(seed, 4'000);
    if (HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace whoisq::scheduler
