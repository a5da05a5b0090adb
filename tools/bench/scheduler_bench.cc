// Scheduler core at scale: decisions (grants + releases) per second with
// 10,000 servers and 1,000,000 queued requests, and heap bytes per queued
// request (mallinfo2 deltas). Prints figures, asserts nothing.
#include <malloc.h>
#include <time.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "scheduler/scheduler.h"

namespace whoisq::scheduler {
namespace {

constexpr int64_t kT0 = 1'700'000'000'000;
constexpr int kServers = 10'000;
constexpr int kQueued = 1'000'000;

size_t HeapInUse() {
  struct mallinfo2 mi = mallinfo2();
  return mi.uordblks + mi.hblkhd;
}

Options BenchOptions() {
  Options o;
  o.default_limits.concurrency = 8;
  o.default_limits.per_second = 1000;
  o.default_limits.burst = 8;
  o.default_limits.daily = 0;
  // A few groups and slower servers, as in real configurations.
  for (int i = 0; i < kServers; i += 100) {
    Limits l;
    l.concurrency = 4;
    l.per_second = 200;
    l.burst = 4;
    l.daily = 0;
    l.group = "group" + std::to_string(i / 1000);
    o.servers["whois" + std::to_string(i) + ".example"] = l;
  }
  return o;
}

struct Names {
  std::vector<std::string> servers;
  std::vector<std::string> clients;
  explicit Names(int clients_n) {
    for (int i = 0; i < kServers; ++i) servers.push_back("whois" + std::to_string(i) + ".example");
    for (int i = 0; i < clients_n; ++i) clients.push_back("client-" + std::to_string(i));
  }
};

// Queues n requests: server uniform, client uniform, a third with a deadline.
void Fill(Scheduler& s, const Names& names, std::mt19937_64& rng, uint64_t& next_id, int n,
          int64_t now) {
  Request r;
  for (int i = 0; i < n; ++i) {
    r.id = next_id++;
    r.server = names.servers[rng() % names.servers.size()];
    r.client = names.clients[rng() % names.clients.size()];
    r.priority = static_cast<int32_t>(rng() % 3);
    r.deadline_ms = rng() % 3 == 0 ? now + 3'600'000 : 0;
    s.Enqueue(r, now);
  }
}

// CPU time of this thread: the figure that does not depend on what else the
// (shared) machine runs. The benchmark's own Time column is wall time.
struct Clock {
  using duration = std::chrono::nanoseconds;
  using time_point = std::chrono::time_point<Clock, duration>;
  static time_point now() {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return time_point(duration(int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec));
  }
};

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// Steady state: each iteration advances the clock 1 ms, dispatches up to 4096
// grants, returns every token (kOk) and queues as many new requests, so about
// 1,000,000 stay queued. decisions/s counts grants + releases over the time
// spent in Dispatch and Release; enqueues/s over the time spent in Enqueue
// (thread CPU time); the benchmark's own time columns cover both.
void BM_DispatchRelease(benchmark::State& state) {
  Names names(static_cast<int>(state.range(0)));
  std::mt19937_64 rng(1);
  uint64_t next_id = 1;
  auto s = std::make_unique<Scheduler>(BenchOptions());
  int64_t now = kT0;
  Fill(*s, names, rng, next_id, kQueued, now);
  uint64_t decisions = 0, enqueues = 0;
  Clock::duration decide{}, enqueue{};
  for (auto _ : state) {
    now += 1;
    Clock::time_point t0 = Clock::now();
    std::vector<Grant> g = s->Dispatch(now, 4096);
    for (const Grant& x : g) s->Release(x.token.id, Outcome::kOk, now);
    Clock::time_point t1 = Clock::now();
    Fill(*s, names, rng, next_id, static_cast<int>(g.size()), now);
    enqueue += Clock::now() - t1;
    decide += t1 - t0;
    decisions += 2 * g.size();
    enqueues += g.size();
  }
  state.counters["decisions/s"] = static_cast<double>(decisions) / Seconds(decide);
  state.counters["enqueues/s"] = static_cast<double>(enqueues) / Seconds(enqueue);
  state.counters["queued"] = static_cast<double>(s->queued());
}
BENCHMARK(BM_DispatchRelease)->Arg(100)->Arg(10'000)->Unit(benchmark::kMillisecond)->MinTime(3);

// Grants and releases only: the queue drains from 1,000,000 without refills
// (filling is not timed; the manual time is thread CPU time).
void BM_DrainOneMillion(benchmark::State& state) {
  Names names(100);
  uint64_t decisions = 0;
  Clock::duration decide{};
  for (auto _ : state) {
    std::mt19937_64 rng(2);
    uint64_t next_id = 1;
    auto s = std::make_unique<Scheduler>(BenchOptions());
    int64_t now = kT0;
    Fill(*s, names, rng, next_id, kQueued, now);
    Clock::time_point t0 = Clock::now();
    while (s->queued() > 0) {
      now += 1;
      std::vector<Grant> g = s->Dispatch(now, 4096);
      for (const Grant& x : g) s->Release(x.token.id, Outcome::kOk, now);
      decisions += 2 * g.size();
    }
    Clock::duration d = Clock::now() - t0;
    decide += d;
    state.SetIterationTime(Seconds(d));
  }
  state.counters["decisions/s"] = static_cast<double>(decisions) / Seconds(decide);
}
BENCHMARK(BM_DrainOneMillion)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(3);

// Heap bytes per queued request: mallinfo2 before and after queueing
// 1,000,000 requests into a scheduler that already knows its 10,000 servers.
void BM_MemoryPerQueuedRequest(benchmark::State& state) {
  Names names(static_cast<int>(state.range(0)));
  double per_request = 0;
  for (auto _ : state) {
    std::mt19937_64 rng(3);
    uint64_t next_id = 1;
    auto s = std::make_unique<Scheduler>(BenchOptions());
    Request warm;
    for (const std::string& server : names.servers) {  // intern every host
      warm.id = next_id++;
      warm.server = server;
      warm.client = "warm";
      s->Enqueue(warm, kT0);
      benchmark::DoNotOptimize(s->Cancel(warm.id));
    }
    size_t before = HeapInUse();
    Fill(*s, names, rng, next_id, kQueued, kT0);
    size_t after = HeapInUse();
    per_request = static_cast<double>(after - before) / kQueued;
    benchmark::DoNotOptimize(s->queued());
  }
  state.counters["bytes/queued"] = per_request;
}
BENCHMARK(BM_MemoryPerQueuedRequest)
    ->Arg(10)->Arg(100)->Arg(10'000)
    ->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace whoisq::scheduler

BENCHMARK_MAIN();
