// End-to-end proofs of the scheduler with real processes: whoisq-sim enforces
// and counts every limit, the broker hands out tokens, several worker
// processes run the queries. Each test writes its own simulator config (IANA
// refers one TLD to each test server) and asserts on the simulator's counters,
// never on wall-clock speed.
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "client/client.h"
#include "tests/support/stack.h"

namespace whoisq::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int64_t kDayMs = 86'400'000;

int64_t NowMs() {
  return std::chrono::duration_cast<milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t MsToNextUtcDay() { return kDayMs - NowMs() % kDayMs; }

// One simulated WHOIS server of a test; IANA (simulated too) names it as the
// server of `tld`. Zero limits are unlimited, as in whoisq-sim.
struct SimServer {
  std::string name;
  std::string tld;
  int concurrency = 0;
  double per_second = 0;
  int burst = 1;
  int daily = 0;
  int delay_min_ms = 0;
  int delay_max_ms = 0;
  std::string mode = "normal";
};

std::string Quote(const std::string& s) { return nlohmann::json(s).dump(); }

// Writes a whoisq-sim config to dir/sim.toml: a generous IANA that refers each
// server's TLD to it, and the servers, each answering every name as registered
// (a thick-registry answer without a referral: one hop per lookup).
std::string WriteSimConfig(const TempDir& dir, const std::vector<SimServer>& servers) {
  std::ostringstream c;
  c << "[sim]\nbind = \"127.0.0.1\"\ncontrol = 0\n\n"
    << "[[server]]\nname = \"whois.iana.org\"\nconcurrency = 4\nper_second = 100.0\n"
    << "burst = 100\ndaily = 100000\nthrottle_text = \"Query rate limit exceeded\"\n"
    << "not_found = \"% This query returned 0 objects.\"\n";
  for (const SimServer& s : servers) {
    c << "  [[server.answer]]\n  match = " << Quote(s.tld) << "\n  text = "
      << Quote("% IANA WHOIS server\n\nrefer:        " + s.name + "\n\ndomain:       " + s.tld +
               "\n\nwhois:        " + s.name + "\n\nstatus:       ACTIVE\n")
      << "\n";
  }
  for (const SimServer& s : servers) {
    c << "\n[[server]]\nname = " << Quote(s.name) << "\nconcurrency = " << s.concurrency
      << "\nper_second = " << std::to_string(s.per_second) << "\nburst = " << s.burst
      << "\ndaily = " << s.daily << "\nmode = " << Quote(s.mode) << "\n";
    if (s.delay_max_ms > 0) {
      c << "delay_min_ms = " << s.delay_min_ms << "\ndelay_max_ms = " << s.delay_max_ms << "\n";
    }
    c << "  [[server.answer]]\n  match = \"*\"\n  text = "
      << Quote("Domain Name: {{QUERY}}\nRegistry Domain ID: 12345_DOMAIN\n"
               "Registrar: Example Registrar, Inc.\nCreation Date: 2001-02-03T04:05:06Z\n"
               "Updated Date: 2024-01-02T03:04:05Z\nRegistry Expiry Date: 2031-02-03T04:05:06Z\n"
               "Name Server: NS1.{{QUERY}}\nName Server: NS2.{{QUERY}}\n")
      << "\n";
  }
  std::string path = dir.File("sim.toml");
  WriteFile(path, c.str());
  return path;
}

// A reply and when it arrived (Unix ms, client clock).
struct Answer {
  schema::LookupReply reply;
  int64_t received_ms = 0;
};

// Sends each name (request id = the name), with `deadline_ms` (0 = none).
void SendAll(client::Client& c, const std::vector<std::string>& names, int64_t deadline_ms) {
  for (const std::string& name : names) {
    schema::LookupRequest r;
    r.id = name;
    r.query = name;
    r.deadline_ms = deadline_ms;
    ASSERT_TRUE(c.Send(r).ok()) << name;
  }
}

// Collects `count` replies, keyed by request id; stops early (and records a
// failure) if none comes for `quiet`.
std::map<std::string, Answer> ReceiveN(client::Client& c, size_t count, milliseconds quiet) {
  std::map<std::string, Answer> out;
  while (out.size() < count) {
    auto reply = c.Receive(quiet);
    if (!reply.ok()) {
      ADD_FAILURE() << "no reply after " << out.size() << " of " << count << ": "
                    << reply.status().ToString();
      break;
    }
    if (reply->is_accepted) continue;  // only sent to requests with `notify`
    EXPECT_FALSE(reply->is_error) << reply->error.error << ": " << reply->error.message;
    EXPECT_EQ(out.count(reply->result.id), 0u) << "two replies for " << reply->result.id;
    out[reply->result.id] = Answer{reply->result, NowMs()};
  }
  return out;
}

std::vector<std::string> Names(const std::string& prefix, int n, const std::string& tld) {
  std::vector<std::string> names;
  for (int i = 0; i < n; ++i) names.push_back(prefix + std::to_string(i) + "." + tld);
  return names;
}

// Asserts that the simulator counted no breach of any kind on any server.
void ExpectNoBreaches(const nlohmann::json& stats) {
  for (const auto& [host, s] : stats["servers"].items()) {
    SCOPED_TRACE(host);
    EXPECT_EQ(s["breaches_concurrency"], 0);
    EXPECT_EQ(s["breaches_rate"], 0);
    EXPECT_EQ(s["breaches_daily"], 0);
    EXPECT_EQ(s["queries"], s["served"]);
  }
}

std::optional<schema::ServerStats> BrokerServerStats(const Stack& stack, const std::string& host) {
  auto c = client::Client::Connect(stack.frontend());
  if (!c.ok()) return std::nullopt;
  auto stats = (*c)->Stats(seconds(10));
  if (!stats.ok()) return std::nullopt;
  for (const auto& s : stats->servers) {
    if (s.server == host) return s;
  }
  return std::nullopt;
}

// Daily quotas are per UTC day: a test that spends one must not straddle midnight.
#define WHOISQ_SKIP_NEAR_MIDNIGHT()                                               \
  if (MsToNextUtcDay() < 5 * 60 * 1000) {                                         \
    GTEST_SKIP() << "less than 5 min to 00:00 UTC: the daily count would reset"; \
  }

// 1. Four worker processes with two slots each share one scheduler: a server
// with concurrency, rate and daily limits all binding at once is never
// breached, and a daily quota is spent exactly, the rest refused at once.
TEST(SchedulerEndToEnd, ExactLimitsAcrossFourWorkerProcesses) {
  WHOISQ_SKIP_NEAR_MIDNIGHT();
  TempDir dir;
  // Service time (150-450 ms) above the emission interval (200 ms): the
  // concurrency of 2 binds as well as the rate.
  SimServer strict{.name = "whois.strict.example", .tld = "com", .concurrency = 2,
                   .per_second = 5, .burst = 2, .daily = 100000, .delay_min_ms = 150,
                   .delay_max_ms = 450};
  SimServer quota{.name = "whois.quota.example", .tld = "org", .concurrency = 2,
                  .per_second = 20, .burst = 5, .daily = 30};
  StackOptions options;
  options.sim_config = WriteSimConfig(dir, {strict, quota});
  options.workers = 4;
  options.worker_slots = 2;
  auto stack = Stack::Start(options);
  ASSERT_NE(stack, nullptr);
  auto c = client::Client::Connect(stack->frontend());
  ASSERT_TRUE(c.ok());

  const auto strict_names = Names("strict-", 30, "com");
  const auto quota_names = Names("quota-", 40, "org");
  const int64_t start = NowMs();
  // Well before the next UTC day, and far beyond how long 40 queries at 20/s take.
  const int64_t deadline = start + 60'000;
  SendAll(**c, strict_names, 0);
  SendAll(**c, quota_names, deadline);
  auto answers = ReceiveN(**c, strict_names.size() + quota_names.size(), seconds(30));
  ASSERT_EQ(answers.size(), strict_names.size() + quota_names.size());

  for (const auto& name : strict_names) {
    const auto& r = answers[name].reply;
    EXPECT_EQ(r.outcome, "ok") << name << ": " << r.error << " " << r.message;
  }
  int ok = 0, exhausted = 0;
  int64_t latest_refusal = 0;
  for (const auto& name : quota_names) {
    const auto& a = answers[name];
    if (a.reply.outcome == "ok") {
      ++ok;
    } else {
      EXPECT_EQ(a.reply.outcome, "fallback") << name;
      EXPECT_EQ(a.reply.error, "quota_exhausted") << name << ": " << a.reply.message;
      EXPECT_TRUE(a.reply.record.fallback) << name;
      ++exhausted;
      latest_refusal = std::max(latest_refusal, a.received_ms);
    }
  }
  EXPECT_EQ(ok, 30);
  EXPECT_EQ(exhausted, 10);
  // Refused at once when the quota ran out, not when the deadline came.
  std::printf("quota_exhausted answers: last one %lld ms after sending, deadline at %lld ms\n",
              static_cast<long long>(latest_refusal - start),
              static_cast<long long>(deadline - start));
  EXPECT_LT(latest_refusal, deadline - 30'000);

  auto stats = stack->SimStats();
  ExpectNoBreaches(stats);
  const auto& s = stats["servers"]["whois.strict.example"];
  const auto& q = stats["servers"]["whois.quota.example"];
  std::printf("strict: served %d, max_concurrent_seen %d; quota: served %d\n",
              s["served"].get<int>(), s["max_concurrent_seen"].get<int>(), q["served"].get<int>());
  EXPECT_EQ(s["served"], 30);
  EXPECT_LE(s["max_concurrent_seen"].get<int>(), 2);
  EXPECT_EQ(q["served"], 30);
  EXPECT_LE(q["max_concurrent_seen"].get<int>(), 2);
  EXPECT_EQ(stats["servers"]["whois.iana.org"]["served"], 2);  // once per TLD

  // Without a deadline a lookup for the spent server waits for tomorrow: no
  // answer now, and the broker holds it queued.
  SendAll(**c, {"tomorrow.org"}, 0);
  auto none = (*c)->Receive(milliseconds(2500));
  EXPECT_FALSE(none.ok()) << "answered: " << none->result.outcome << " " << none->result.error;
  auto qs = BrokerServerStats(*stack, "whois.quota.example");
  ASSERT_TRUE(qs.has_value());
  EXPECT_EQ(qs->queued, 1u);
  EXPECT_EQ(qs->spent_today, 30u);
  EXPECT_EQ(qs->daily, 30u);
  EXPECT_EQ(stack->SimStats()["servers"]["whois.quota.example"]["queries"], 30);
  EXPECT_TRUE(stack->Stop());
}


// 2. The day's count survives a crash: the broker writes it to RocksDB before
// every token leaves and restores it at start.
TEST(SchedulerEndToEnd, DailyCountSurvivesBrokerCrash) {
  WHOISQ_SKIP_NEAR_MIDNIGHT();
  TempDir dir;
  SimServer daily{.name = "whois.daily.example", .tld = "net", .concurrency = 4,
                  .per_second = 50, .burst = 10, .daily = 50};
  StackOptions options;
  options.sim_config = WriteSimConfig(dir, {daily});
  options.workers = 2;
  auto stack = Stack::Start(options);
  ASSERT_NE(stack, nullptr);
  {
    auto c = client::Client::Connect(stack->frontend());
    ASSERT_TRUE(c.ok());
    const auto before = Names("before-", 30, "net");
    SendAll(**c, before, 0);
    auto answers = ReceiveN(**c, before.size(), seconds(30));
    ASSERT_EQ(answers.size(), before.size());
    for (const auto& [name, a] : answers) EXPECT_EQ(a.reply.outcome, "ok") << name;
    ASSERT_EQ(stack->SimStats()["servers"]["whois.daily.example"]["served"], 30);
  }
  ASSERT_TRUE(stack->RestartBroker(SIGKILL));

  auto c = client::Client::Connect(stack->frontend());
  ASSERT_TRUE(c.ok());
  const auto after = Names("after-", 40, "net");
  const int64_t start = NowMs();
  const int64_t deadline = start + 30'000;
  SendAll(**c, after, deadline);
  auto answers = ReceiveN(**c, after.size(), seconds(40));
  ASSERT_EQ(answers.size(), after.size());
  int ok = 0, exhausted = 0;
  for (const auto& [name, a] : answers) {
    if (a.reply.outcome == "ok") {
      ++ok;
    } else {
      EXPECT_EQ(a.reply.outcome, "fallback") << name;
      EXPECT_EQ(a.reply.error, "quota_exhausted") << name << ": " << a.reply.message;
      ++exhausted;
    }
  }
  std::printf("after the crash: %d served, %d quota_exhausted\n", ok, exhausted);
  EXPECT_EQ(ok, 20);
  EXPECT_EQ(exhausted, 20);

  auto stats = stack->SimStats();
  ExpectNoBreaches(stats);
  EXPECT_EQ(stats["servers"]["whois.daily.example"]["served"], 50);
  EXPECT_EQ(stats["servers"]["whois.daily.example"]["served_today"], 50);
  EXPECT_EQ(stats["servers"]["whois.iana.org"]["served"], 1);  // the TLD map survived too
  auto ds = BrokerServerStats(*stack, "whois.daily.example");
  ASSERT_TRUE(ds.has_value());
  EXPECT_EQ(ds->spent_today, 50u);
  EXPECT_TRUE(stack->Stop());
}

// 3. whoisq believes limits 4x the real ones: the server throttles, the
// scheduler backs off and learns, throttled hops are retried.
TEST(SchedulerEndToEnd, LearnsAnUnpublishedRateFromThrottles) {
  TempDir dir;
  // Real limit 2/s, burst 1; whoisq is configured with 8/s, burst 4.
  SimServer tight{.name = "whois.tight.example", .tld = "io", .per_second = 2, .burst = 1};
  StackOptions options;
  options.sim_config = WriteSimConfig(dir, {tight});
  options.workers = 2;
  options.limit_scale = 4;
  auto stack = Stack::Start(options);
  ASSERT_NE(stack, nullptr);
  auto c = client::Client::Connect(stack->frontend());
  ASSERT_TRUE(c.ok());

  const auto names = Names("tight-", 30, "io");
  const int64_t start = NowMs();
  // Bounds the test: a lookup still queued by then ends with `deadline`.
  SendAll(**c, names, start + 50'000);
  auto answers = ReceiveN(**c, names.size(), seconds(60));
  ASSERT_EQ(answers.size(), names.size());
  int ok = 0, throttled = 0;
  for (const auto& [name, a] : answers) {
    if (a.reply.outcome == "ok") {
      ++ok;
    } else {
      EXPECT_EQ(a.reply.outcome, "fallback") << name;
      EXPECT_EQ(a.reply.error, "throttled") << name << ": " << a.reply.message;
      ++throttled;
    }
  }
  auto stats = stack->SimStats();
  const auto& s = stats["servers"]["whois.tight.example"];
  const int queries = s["queries"].get<int>();
  const int breaches = s["breaches_rate"].get<int>() + s["breaches_concurrency"].get<int>() +
                       s["breaches_daily"].get<int>();
  auto ts = BrokerServerStats(*stack, "whois.tight.example");
  ASSERT_TRUE(ts.has_value());
  std::printf("tight: %d lookups ok, %d throttled fallbacks in %lld ms; server saw %d queries, "
              "%d breaches (%.1f %%); broker: throttles %llu, effective %.3f/s (configured "
              "%.3f/s), concurrency %u\n",
              ok, throttled, static_cast<long long>(NowMs() - start), queries, breaches,
              queries ? 100.0 * breaches / queries : 0.0,
              static_cast<unsigned long long>(ts->throttles), ts->effective_per_second,
              ts->per_second, ts->effective_concurrency);
  EXPECT_EQ(s["served"], ok);
  EXPECT_GT(ts->throttles, 0u);
  EXPECT_EQ(ts->throttles, static_cast<uint64_t>(breaches));
  EXPECT_LT(ts->effective_per_second, ts->per_second);
  ASSERT_GT(queries, 0);
  EXPECT_LT(static_cast<double>(breaches) / queries, 0.25);
  EXPECT_GE(ok, 27);  // "a few" throttled fallbacks at most
  EXPECT_TRUE(stack->Stop());
}

// 4. A silent server with a full queue does not hold up another server.
TEST(SchedulerEndToEnd, SilentServerDoesNotBlockOthers) {
  TempDir dir;
  SimServer silent{.name = "whois.silent.example", .tld = "xyz", .concurrency = 1,
                   .per_second = 100, .burst = 10, .mode = "silent"};
  SimServer normal{.name = "whois.normal.example", .tld = "net", .concurrency = 4,
                   .per_second = 50, .burst = 10};
  StackOptions options;
  options.sim_config = WriteSimConfig(dir, {silent, normal});
  options.workers = 2;
  auto stack = Stack::Start(options);
  ASSERT_NE(stack, nullptr);
  auto c = client::Client::Connect(stack->frontend());
  ASSERT_TRUE(c.ok());

  // The silent server's lookups first: each holds its only slot until the
  // worker's 5 s timeout ([network] timeout_s of the generated config).
  const auto stuck = Names("stuck-", 10, "xyz");
  SendAll(**c, stuck, 0);
  // Wait until the first one is in service, so its queue is really blocked.
  auto silent_open = [&] { return stack->SimStats()["servers"]["whois.silent.example"]["open"]; };
  for (int i = 0; i < 100 && silent_open() != 1; ++i) std::this_thread::sleep_for(milliseconds(50));
  ASSERT_EQ(silent_open(), 1);

  const auto names = Names("free-", 20, "net");
  const int64_t start = NowMs();
  SendAll(**c, names, 0);
  std::map<std::string, Answer> answers;
  while (answers.size() < names.size()) {
    auto reply = (*c)->Receive(seconds(30));
    ASSERT_TRUE(reply.ok()) << "after " << answers.size() << ": " << reply.status().ToString();
    if (reply->is_accepted) continue;
    const auto& r = reply->result;
    if (r.normalized.ends_with(".net")) {
      EXPECT_EQ(r.outcome, "ok") << r.id << ": " << r.error;
      answers[r.id] = Answer{r, NowMs()};
    }
  }
  const int64_t took = NowMs() - start;
  // Counted, not timed: when the last normal lookup was answered, the silent
  // server had taken at most its second query (each one lasts 5 s), and the
  // broker still held the others queued.
  auto stats = stack->SimStats();
  const auto& s = stats["servers"]["whois.silent.example"];
  auto ss = BrokerServerStats(*stack, "whois.silent.example");
  ASSERT_TRUE(ss.has_value());
  std::printf("20 lookups to the normal server in %lld ms; meanwhile the silent server got %d "
              "queries and %llu are still queued\n",
              static_cast<long long>(took), s["queries"].get<int>(),
              static_cast<unsigned long long>(ss->queued));
  EXPECT_LE(s["queries"].get<int>(), 2);
  EXPECT_GE(ss->queued, 8u);
  EXPECT_EQ(s["max_concurrent_seen"], 1);
  EXPECT_EQ(stats["servers"]["whois.normal.example"]["served"], 20);
  ExpectNoBreaches(stats);
  EXPECT_TRUE(stack->Stop());
}

}  // namespace
}  // namespace whoisq::testing
