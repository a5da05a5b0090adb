// A deterministic in-process simulation of one WHOIS server behind the
// scheduler, in simulated milliseconds: the server enforces its real limits
// with the project simulator's Limiter (tools/whois_sim/limiter.h: GCRA with
// tolerance (burst-1)*T + slack, concurrency, daily; a breach is answered with
// a throttle text and changes no state), several clients keep the scheduler's
// backlog full, and a discrete-event loop turns grants into queries and
// answers into Release calls, re-queueing throttled requests with
// Request::retry as the broker does. No sleeps, no threads.
#pragma once

#include <algorithm>
#include <cstdint>
#include <chrono>
#include <functional>
#include <queue>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "scheduler/scheduler.h"
#include "tools/whois_sim/limiter.h"

namespace whoisq::scheduler::testing {

// A model server: the real limits, and how long it takes to answer.
struct ServerModelOptions {
  sim::Limits real;                 // what the server enforces (0 = no limit)
  int64_t service_ms = 200;         // time from arrival to answer (ok or throttle text)
  int64_t service_jitter_ms = 0;    // + uniform [0, jitter] per query
  int64_t network_delay_ms = 0;     // each way: + uniform [0, delay] per message
};

// Wraps sim::Limiter with a millisecond clock.
class ServerModel {
 public:
  explicit ServerModel(const ServerModelOptions& options)
      : options_(options), limiter_(options.real) {}

  const ServerModelOptions& options() const { return options_; }
  // Admits a query arriving at t_ms: true = served (holds a slot until
  // Finish), false = answered with a throttle text.
  bool Admit(int64_t t_ms) {
    sim::Instant now;
    now.mono = std::chrono::milliseconds(t_ms);
    now.utc_day = 0;
    return limiter_.Admit(now) == sim::Verdict::kServed;
  }
  void Finish() { limiter_.Release(); }
  int max_open_seen() const { return limiter_.max_open_seen(); }

 private:
  ServerModelOptions options_;
  sim::Limiter limiter_;
};

// Figures of one simulated run.
struct SimFigures {
  uint64_t sent = 0;            // queries that reached the server
  uint64_t throttled = 0;       // answered with a throttle text
  uint64_t ok = 0;              // served
  uint64_t ok_in_window = 0;    // served, arrived in the measuring window
  uint64_t sent_in_window = 0;  // reached the server in the measuring window
  double throttled_share() const { return sent == 0 ? 0 : double(throttled) / double(sent); }
};

// Drives a Scheduler against a ServerModel for a span of simulated time.
// The Scheduler may be swapped (a broker restart) between Run calls.
class ServerSimulation {
 public:
  static constexpr const char* kHost = "whois.sim";

  ServerSimulation(const ServerModelOptions& model, uint64_t seed, int64_t start_ms,
                   size_t clients = 4, size_t backlog = 64, size_t workers = 64)
      : model_(model), rng_(seed), now_(start_ms), clients_(clients), backlog_(backlog),
        workers_(workers) {}

  ServerModel& model() { return model_; }
  int64_t now() const { return now_; }

  // Runs until `until_ms`, counting queries that arrive in
  // [window_from_ms, until_ms) in the window figures.
  SimFigures Run(Scheduler& s, int64_t until_ms, int64_t window_from_ms) {
    SimFigures f;
    while (s.queued() < backlog_) Enqueue(s, false);
    for (;;) {
      size_t free = workers_ > s.tokens_out() ? workers_ - s.tokens_out() : 0;
      int64_t next = s.NextWakeup(now_, free > 0);
      if (!events_.empty()) next = std::min(next, events_.top().t_ms);
      if (next >= until_ms) break;
      now_ = std::max(now_, next);
      while (!events_.empty() && events_.top().t_ms <= now_) {
        Event e = events_.top();
        events_.pop();
        Handle(s, e, window_from_ms, &f);
      }
      for (uint64_t t : s.ExpireLeases(now_)) in_flight_.erase(t);
      s.TakeRejections(now_);
      free = workers_ > s.tokens_out() ? workers_ - s.tokens_out() : 0;
      for (const Grant& g : s.Dispatch(now_, free)) {
        in_flight_[g.token.id] = g.request_id;
        events_.push({now_ + Delay(model_.options().network_delay_ms), seq_++, Kind::kArrive,
                      g.token.id, false});
        Enqueue(s, false);  // saturated: every grant is replaced
      }
    }
    now_ = until_ms;
    return f;
  }

  // Forgets tokens of a scheduler that is being replaced (their answers are
  // still delivered to the model, not to the new scheduler).
  void ForgetTokens() { in_flight_.clear(); }
  // Requeues the backlog into a fresh scheduler.
  void Refill(Scheduler& s) {
    while (s.queued() < backlog_) Enqueue(s, false);
  }

 private:
  enum class Kind { kArrive, kFinish, kAnswer };
  struct Event {
    int64_t t_ms;
    uint64_t seq;
    Kind kind;
    uint64_t token;
    bool served;
    bool operator>(const Event& o) const { return t_ms != o.t_ms ? t_ms > o.t_ms : seq > o.seq; }
  };

  int64_t Delay(int64_t max_ms) {
    if (max_ms <= 0) return 0;
    return std::uniform_int_distribution<int64_t>(0, max_ms)(rng_);
  }

  void Enqueue(Scheduler& s, bool retry) {
    Request r;
    r.id = next_request_++;
    r.server = kHost;
    r.client = "client" + std::to_string(r.id % clients_);
    r.retry = retry;
    s.Enqueue(r, now_);
  }

  void Handle(Scheduler& s, const Event& e, int64_t window_from_ms, SimFigures* f) {
    const ServerModelOptions& o = model_.options();
    switch (e.kind) {
      case Kind::kArrive: {
        bool served = model_.Admit(e.t_ms);
        ++f->sent;
        if (e.t_ms >= window_from_ms) ++f->sent_in_window;
        if (served) {
          ++f->ok;
          if (e.t_ms >= window_from_ms) ++f->ok_in_window;
        } else {
          ++f->throttled;
        }
        int64_t done = e.t_ms + o.service_ms + Delay(o.service_jitter_ms);
        if (served) events_.push({done, seq_++, Kind::kFinish, e.token, true});
        events_.push({done + Delay(o.network_delay_ms), seq_++, Kind::kAnswer, e.token, served});
        break;
      }
      case Kind::kFinish:
        model_.Finish();
        break;
      case Kind::kAnswer: {
        auto it = in_flight_.find(e.token);
        if (it == in_flight_.end()) break;  // granted by a replaced scheduler, or expired
        in_flight_.erase(it);
        s.Release(e.token, e.served ? Outcome::kOk : Outcome::kThrottled, now_);
        if (!e.served) Enqueue(s, true);
        break;
      }
    }
  }

  ServerModel model_;
  std::mt19937_64 rng_;
  int64_t now_;
  size_t clients_;
  size_t backlog_;   // requests kept queued: saturated traffic
  size_t workers_;   // free worker slots passed to Dispatch
  uint64_t next_request_ = 1;
  uint64_t seq_ = 0;
  std::unordered_map<uint64_t, uint64_t> in_flight_;  // token -> request
  std::priority_queue<Event, std::vector<Event>, std::greater<Event>> events_;
};

}  // namespace whoisq::scheduler::testing
