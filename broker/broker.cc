#include "broker/broker.h"

#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <unordered_map>

#include <spdlog/spdlog.h>
#include <zmq.hpp>

#include "broker/store.h"
#include "broker/worker_pool.h"
#include "resolve/iana_answer.h"
#include "resolve/query.h"
#include "resolve/query_format.h"
#include "resolve/rdap_bootstrap.h"
#include "resolve/url.h"
#include "resolve/server_table.h"
#include "resolve/tld_country.h"
#include "schema/codec.h"
#include "schema/messages.h"
#include "scheduler/scheduler.h"
#include "transport/zmq_io.h"

namespace whoisq::broker {
namespace {

using schema::ErrorCode;
using schema::Status;
namespace cmd = schema::cmd;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The grant clock: the scheduler keeps a rate to the µs (DispatchUs).
int64_t NowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Longest poll of the loop (it re-checks the stop flag at least this often).
constexpr int64_t kMaxPollUs = 100'000;

// Throttled hops are retried this many times (the scheduler backs the server
// off in between) before the lookup gives up with a `throttled` fallback.
constexpr uint32_t kMaxThrottleRetries = 3;

// Client messages read per loop pass before the scheduler is asked again.
constexpr int kClientBatch = 256;

// An RDAP server that failed (timeout, refused, unreachable, TLS, 5xx) is
// skipped for this long: its lookups go straight to WHOIS instead of paying
// for the same failure one by one.
constexpr int64_t kRdapDownMs = 300'000;
// A bootstrap refresh that failed is tried again after this long (or the
// TTL, if shorter).
constexpr int64_t kBootstrapRetryMs = 600'000;

constexpr resolve::RdapRegistry kRegistries[] = {resolve::RdapRegistry::kDns, resolve::RdapRegistry::kIpv4,
                                                 resolve::RdapRegistry::kIpv6, resolve::RdapRegistry::kAsn};
constexpr char kRdap[] = "rdap";
constexpr char kWhois[] = "whois";

// Errors that say the server itself is not working (as opposed to the name).
bool ServerFailure(ErrorCode code) {
  return code == ErrorCode::kTimeout || code == ErrorCode::kRefused ||
         code == ErrorCode::kUnreachable || code == ErrorCode::kTlsError ||
         code == ErrorCode::kServerError;
}

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string s;
  for (const std::string& line : lines) {
    s += line;
    s += '\n';
  }
  return s;
}

scheduler::Limits ToLimits(const config::LimitOptions& o) {
  scheduler::Limits l;
  l.concurrency = o.concurrency;
  l.per_second = o.per_second;
  l.burst = o.burst;
  l.daily = o.daily;
  l.group = o.group;
  return l;
}

scheduler::Outcome OutcomeOf(const std::string& error) {
  if (error.empty()) return scheduler::Outcome::kOk;
  switch (schema::ErrorFromName(error)) {
    case ErrorCode::kThrottled: return scheduler::Outcome::kThrottled;
    case ErrorCode::kRefused: return scheduler::Outcome::kRefused;
    case ErrorCode::kTimeout: return scheduler::Outcome::kTimeout;
    default: return scheduler::Outcome::kError;
  }
}

// Sends [identity] + envelope frames on a ROUTER socket.
void SendTo(zmq::socket_t& router, const std::string& identity, std::string_view protocol,
            std::string_view command, const std::string& body) {
  transport::SendTo(router, identity,
                    schema::ToFrames({std::string(protocol), std::string(command), body}));
}

// The scheduler's learned state of one limit key <-> its stored form.
schema::StoredLearned ToStored(const scheduler::LearnedLimit& l) {
  schema::StoredLearned s;
  s.per_second = l.per_second;
  s.concurrency = l.concurrency;
  s.backoff_level = l.backoff_level;
  s.throttles = l.throttles;
  s.paused_until_ms = l.paused_until_ms;
  s.burst = l.burst;
  s.fast_per_second = l.fast_per_second;
  s.fast_concurrency = l.fast_concurrency;
  s.confirmed_per_second = l.confirmed_per_second;
  s.probe_every = l.probe_every;
  s.last_throttle_ms = l.last_throttle_ms;
  return s;
}

scheduler::LearnedLimit FromStored(const std::string& limit_key, const schema::StoredLearned& s) {
  scheduler::LearnedLimit l;
  l.limit_key = limit_key;
  l.per_second = s.per_second;
  l.concurrency = s.concurrency;
  l.backoff_level = s.backoff_level;
  l.throttles = s.throttles;
  l.paused_until_ms = s.paused_until_ms;
  l.burst = s.burst;
  l.fast_per_second = s.fast_per_second;
  l.fast_concurrency = s.fast_concurrency;
  l.confirmed_per_second = s.confirmed_per_second;
  l.probe_every = s.probe_every;
  l.last_throttle_ms = s.last_throttle_ms;
  return l;
}

std::string LastEndpoint(zmq::socket_t& s) { return s.get(zmq::sockopt::last_endpoint); }

}  // namespace

class Broker::Impl {
 public:
  Impl(const config::Options& options, std::unique_ptr<Store> store)
      : options_(options),
        store_(std::move(store)),
        scheduler_(SchedulerOptions(options)),
        lead_ms_(options.broker.dispatch_lead_ms) {}
  ~Impl() {
    if (wake_timer_ >= 0) close(wake_timer_);
  }

  Status Run(const std::atomic<bool>& stop,
             const std::function<void(const BoundEndpoints&)>& on_bound) {
    try {
      frontend_ = zmq::socket_t(ctx_, zmq::socket_type::router);
      publish_ = zmq::socket_t(ctx_, zmq::socket_type::pub);
      workers_ = zmq::socket_t(ctx_, zmq::socket_type::router);
      for (zmq::socket_t* s : {&frontend_, &publish_, &workers_}) s->set(zmq::sockopt::linger, 0);
      frontend_.set(zmq::sockopt::rcvhwm, 0);
      frontend_.set(zmq::sockopt::sndhwm, 0);
      publish_.set(zmq::sockopt::sndhwm, 1000000);
      frontend_.bind(options_.broker.frontend);
      publish_.bind(options_.broker.publish);
      workers_.bind(options_.broker.workers);
    } catch (const zmq::error_t& e) {
      return Status(ErrorCode::kIoError, std::string("cannot bind: ") + e.what());
    }
    // Wakes the loop at the µs a grant is due: zmq_poll counts whole ms, and
    // a grant up to 1 ms late is up to 1 ms lost for a burst-1 rate.
    wake_timer_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (wake_timer_ < 0) spdlog::warn("broker: no timerfd; grants wake on whole ms");
    BoundEndpoints bound{LastEndpoint(frontend_), LastEndpoint(publish_), LastEndpoint(workers_)};
    spdlog::info("broker: clients on {}, results on {}, workers on {}", bound.frontend,
                 bound.publish, bound.workers);
    Recover(NowMs());
    if (on_bound) on_bound(bound);
    for (;;) {
      try {
        Loop(stop);
        return Status::Ok();
      } catch (const zmq::error_t& e) {
        if (e.num() != EINTR) return Status(ErrorCode::kIoError, std::string("zmq: ") + e.what());
      }
    }
  }

 private:
  struct Waiter {
    std::string client;  // routing id; "" for a lookup replayed from the journal
    std::string id;
    std::string query;
    int64_t accepted_ms = 0;
  };
  enum class Stage { kIana, kServer };
  struct Lookup {
    uint64_t id = 0;  // also its journal sequence number
    resolve::Query query;
    std::vector<Waiter> waiters;
    int64_t deadline_ms = 0;
    std::string fairness_key;
    int32_t priority = 0;
    Stage stage = Stage::kServer;
    std::string protocol = kWhois;  // of the current hop
    std::string host;
    uint16_t port = 43;
    std::string args;               // WHOIS: the query line; RDAP: the URL
    bool rdap_tried = false;        // each protocol is tried once: the other is the fallback
    bool whois_tried = false;
    std::string failover_note;      // why the first protocol gave way to the second
    uint32_t hops = 0;
    uint32_t retries = 0;
    std::set<std::string> visited;
    bool has_record = false;
    schema::Record record;
    std::string note;
    uint64_t request_id = 0;  // the scheduler request of its next hop, 0 when none queued
  };
  struct Job {
    uint64_t lookup_id = 0;  // 0 for a bootstrap refresh
    uint64_t token_id = 0;
    std::string worker;
    int refresh = -1;        // index in kRegistries for a bootstrap refresh
  };
  // The refresh of one RDAP bootstrap file.
  struct Refresh {
    int64_t due_ms = INT64_MAX;  // INT64_MAX: never ([rdap] bootstrap = "" or a bad URL)
    bool in_flight = false;
    resolve::Url url;            // [rdap] bootstrap + the file name
  };

  friend class Broker;
  // The scheduler runs `lead_ms_` ahead of the clock: a token is granted that
  // much before its query may start, and the job carries the start time
  // (not_before_ms), so the query reaches the server at the granted instant
  // however long the job took to reach its worker.
  int64_t SchedTime(int64_t now) const { return now + lead_ms_; }
  int64_t SchedTimeUs(int64_t now_us) const { return now_us + lead_ms_ * scheduler::kUsPerMs; }

  static scheduler::Options SchedulerOptions(const config::Options& o) {
    scheduler::Options s;
    s.default_limits = ToLimits(o.default_limits);
    for (const auto& [host, limits] : o.limits) s.servers[host] = ToLimits(limits);
    s.lease_ms = o.broker.lease_ms;
    // Token ids never repeat across restarts: a worker may still return one.
    s.first_token_id = static_cast<uint64_t>(NowMs()) << 20;
    return s;
  }

  // ---- start-up -------------------------------------------------------------

  void Recover(int64_t now) {
    int64_t today = scheduler::DayOf(now);
    for (const auto& c : store_->DailyCounts(today)) {
      scheduler_.RestoreDaily(c.limit_key, c.day, c.used);
    }
    for (const auto& [key, l] : store_->Learned()) {
      scheduler_.RestoreLearned(FromStored(key, l), SchedTime(now));
    }
    // The rate state of the previous run is unknown: start every bucket empty.
    scheduler_.AssumeRestart(SchedTime(now));
    RestoreBootstrap(now);
    next_request_id_ = static_cast<uint64_t>(now) << 20;
    auto journal = store_->Journal();
    for (const auto& e : journal) next_lookup_id_ = std::max(next_lookup_id_, e.seq + 1);
    for (const auto& e : journal) {
      auto q = resolve::Normalize(e.request.query);
      if (!q.ok()) {
        store_->DeleteJournal(e.seq).PermitUnchecked();
        continue;
      }
      Lookup& l = NewLookup(e.seq, *q, e.request, Waiter{"", e.request.id, e.request.query, now});
      Plan(l, now);
    }
    if (!journal.empty()) spdlog::info("broker: replaying {} journaled lookups", journal.size());
  }

  // ---- main loop --------------------------------------------------------------

  void Loop(const std::atomic<bool>& stop) {
    std::vector<std::string> frames;
    int64_t next_beat = 0;
    while (!stop.load()) {
      int64_t now_us = NowUs();
      int64_t wake_us = std::min(
          scheduler_.NextWakeupUs(SchedTimeUs(now_us), pool_.free_slots() > 0) - SchedTimeUs(0),
          scheduler::MsToUs(next_beat));
      int64_t wait_us = std::clamp<int64_t>(wake_us - now_us, 0, kMaxPollUs);
      long timeout = static_cast<long>((wait_us + 999) / 1000);
      if (wait_us > 0 && wait_us < kMaxPollUs && ArmWakeTimer(wait_us)) {
        timeout = static_cast<long>(kMaxPollUs / 1000);  // the timer wakes the poll
      }
      zmq::pollitem_t items[] = {{frontend_.handle(), 0, ZMQ_POLLIN, 0},
                                 {workers_.handle(), 0, ZMQ_POLLIN, 0},
                                 {nullptr, wake_timer_, ZMQ_POLLIN, 0}};
      if (!transport::PollOrSignal(items, wake_timer_ >= 0 ? 3 : 2,
                                   std::chrono::milliseconds(timeout))) {
        continue;
      }
      if (items[2].revents & ZMQ_POLLIN) {
        uint64_t expirations;
        // Clears the timer; EAGAIN (already re-armed) is as good.
        [[maybe_unused]] ssize_t n = read(wake_timer_, &expirations, sizeof expirations);
      }
      // Workers first: results free slots for the requests that follow.
      if (items[1].revents & ZMQ_POLLIN) {
        for (int i = 0; i < 10000 && transport::RecvFrames(workers_, frames); ++i) OnWorker(frames);
      }
      if (items[0].revents & ZMQ_POLLIN) {
        // A bounded batch: a flood of requests must not hold back the grants.
        for (int i = 0; i < kClientBatch && transport::RecvFrames(frontend_, frames); ++i) {
          OnClient(frames);
        }
      }
      now_us = NowUs();
      int64_t now = now_us / scheduler::kUsPerMs;
      if (now >= next_beat) {
        Heartbeat(now);
        PersistLearned();
        next_beat = now + options_.broker.heartbeat_ms;
      }
      Tick(now_us);
    }
  }

  // Sets the wake timer to fire after wait_us (replacing any earlier setting);
  // false without a timer.
  bool ArmWakeTimer(int64_t wait_us) {
    if (wake_timer_ < 0) return false;
    itimerspec spec{};
    spec.it_value.tv_sec = static_cast<time_t>(wait_us / 1'000'000);
    spec.it_value.tv_nsec = static_cast<long>(wait_us % 1'000'000) * 1000;
    return timerfd_settime(wake_timer_, 0, &spec, nullptr) == 0;
  }

  void Tick(int64_t now_us) {
    const int64_t now = now_us / scheduler::kUsPerMs;
    for (uint64_t token : scheduler_.ExpireLeases(SchedTime(now))) {
      auto t = token_jobs_.find(token);
      if (t == token_jobs_.end()) continue;
      uint64_t job_id = t->second;
      token_jobs_.erase(t);
      auto j = jobs_.find(job_id);
      if (j == jobs_.end()) continue;
      spdlog::warn("broker: lease of job {} expired on worker {}; re-queuing", job_id, j->second.worker);
      pool_.Complete(j->second.worker, job_id);
      uint64_t lookup_id = j->second.lookup_id;
      if (j->second.refresh >= 0) RefreshFailed(j->second.refresh, now);
      jobs_.erase(j);
      if (auto l = lookups_.find(lookup_id); l != lookups_.end()) Enqueue(l->second, now, true);
    }
    for (const auto& r : scheduler_.TakeRejections(SchedTime(now))) {
      if (auto f = refresh_requests_.find(r.request_id); f != refresh_requests_.end()) {
        RefreshFailed(f->second, now);
        refresh_requests_.erase(f);
        continue;
      }
      auto it = requests_.find(r.request_id);
      if (it == requests_.end()) continue;
      uint64_t lookup_id = it->second;
      requests_.erase(it);
      if (auto l = lookups_.find(lookup_id); l != lookups_.end()) {
        Fallback(l->second, r.code, r.message, now);
      }
    }
    StartRefreshes(now);
    Dispatch(now_us);
  }

  void Dispatch(int64_t now_us) {
    const int64_t now = now_us / scheduler::kUsPerMs;
    while (pool_.free_slots() > 0) {
      auto grants = scheduler_.DispatchUs(SchedTimeUs(now_us), pool_.free_slots());
      if (grants.empty()) return;
      for (const auto& g : grants) {
        // The count is durable before the token leaves: a crash cannot forget it.
        Status st = store_->PutDaily(g.limit_key, g.day, g.daily_used);
        if (!st.ok()) spdlog::error("broker: daily count not stored: {}", st.ToString());
        SendJob(g, now);
      }
    }
  }

  void SendJob(const scheduler::Grant& g, int64_t now) {
    if (auto f = refresh_requests_.find(g.request_id); f != refresh_requests_.end()) {
      int index = f->second;
      refresh_requests_.erase(f);
      return SendRefreshJob(g, index, now);
    }
    auto r = requests_.find(g.request_id);
    auto worker = pool_.PickFree();
    if (r == requests_.end() || !worker) {
      scheduler_.Release(g.token.id, scheduler::Outcome::kError, SchedTime(now));
      if (r != requests_.end()) requests_.erase(r);
      return;
    }
    uint64_t lookup_id = r->second;
    requests_.erase(r);
    auto l = lookups_.find(lookup_id);
    if (l == lookups_.end()) {
      scheduler_.Release(g.token.id, scheduler::Outcome::kError, SchedTime(now));
      return;
    }
    Lookup& lookup = l->second;
    schema::Job job = NewJob(g, now);
    job.host = lookup.host;
    job.port = lookup.port;
    job.args = lookup.args;
    job.protocol = lookup.protocol;
    job.type = lookup.stage == Stage::kIana && lookup.query.type == resolve::QueryType::kDomain
                   ? "tld"
                   : resolve::TypeName(lookup.query.type);
    job.hop = lookup.hops;
    ++lookup.hops;
    SendJobTo(*worker, job, Job{lookup_id, g.token.id, *worker});
  }

  // A job for a grant, with the network limits; the caller names the query.
  schema::Job NewJob(const scheduler::Grant& g, int64_t now) const {
    schema::Job job;
    job.job_id = g.request_id;
    job.token = g.token;
    job.timeout_ms = static_cast<uint32_t>(options_.network.timeout_s * 1000);
    job.max_bytes = options_.network.max_response_bytes;
    job.not_before_ms = SchedTime(now);
    return job;
  }

  // Records the job as running on `worker` and sends it.
  void SendJobTo(const std::string& worker, const schema::Job& job, Job entry) {
    jobs_[job.job_id] = std::move(entry);
    token_jobs_[job.token.id] = job.job_id;
    pool_.Assign(worker, job.job_id);
    SendTo(workers_, worker, schema::kWorkerProtocol, cmd::kJob, schema::Pack(job));
  }

  // Writes what the scheduler learned about unpublished limits, when it changed.
  void PersistLearned() {
    for (const auto& l : scheduler_.ExportLearned()) {
      schema::StoredLearned stored = ToStored(l);
      std::string packed = schema::Pack(stored);
      std::string& last = learned_written_[l.limit_key];
      if (last == packed) continue;
      Status st = store_->PutLearned(l.limit_key, stored);
      if (!st.ok()) spdlog::error("broker: learned limit not stored: {}", st.ToString());
      last = std::move(packed);
    }
  }

  void Heartbeat(int64_t now) {
    std::vector<std::string> gone;
    auto orphans = pool_.Expire(now - 3 * options_.broker.heartbeat_ms, &gone);
    for (const auto& id : gone) spdlog::warn("broker: worker {} went silent", id);
    Requeue(orphans, now);
    for (const auto& id : pool_.Identities()) {
      SendTo(workers_, id, schema::kWorkerProtocol, cmd::kHeartbeat, {});
    }
  }

  // Jobs of a worker that vanished: their tokens stay out until the lease
  // ends (the query may still be running), the hops go back in the queue.
  void Requeue(const std::vector<uint64_t>& job_ids, int64_t now) {
    for (uint64_t job_id : job_ids) {
      auto j = jobs_.find(job_id);
      if (j == jobs_.end()) continue;
      uint64_t lookup_id = j->second.lookup_id;
      if (j->second.refresh >= 0) RefreshFailed(j->second.refresh, now);
      token_jobs_.erase(j->second.token_id);
      jobs_.erase(j);
      if (auto l = lookups_.find(lookup_id); l != lookups_.end()) Enqueue(l->second, now, true);
    }
  }

  // ---- clients --------------------------------------------------------------

  void OnClient(const std::vector<std::string>& frames) {
    if (frames.empty()) return;
    const std::string& client = frames[0];
    auto env = schema::FromFrames({frames.begin() + 1, frames.end()}, schema::kClientProtocol);
    if (!env.ok()) {
      ReplyError(client, "", env.status());
      return;
    }
    int64_t now = NowMs();
    if (env->command == cmd::kLookup) {
      auto request = schema::Unpack<schema::LookupRequest>(env->body);
      if (!request.ok()) {
        ReplyError(client, "", request.status());
        return;
      }
      Accept(client, *request, now);
    } else if (env->command == cmd::kStats) {
      SendTo(frontend_, client, schema::kClientProtocol, cmd::kStats, schema::Pack(Stats(now)));
    } else if (env->command == cmd::kPing) {
      SendTo(frontend_, client, schema::kClientProtocol, cmd::kPong, {});
    } else {
      ReplyError(client, "", Status(ErrorCode::kUnsupported, "unknown command"));
    }
  }

  void ReplyError(const std::string& client, const std::string& id, const Status& status) {
    ++stats_.errors;
    schema::ErrorReply e;
    e.id = id;
    e.error = schema::ErrorName(status.code());
    e.message = status.message();
    SendTo(frontend_, client, schema::kClientProtocol, cmd::kError, schema::Pack(e));
  }

  void Accept(const std::string& client, const schema::LookupRequest& request, int64_t now) {
    ++stats_.accepted;
    Waiter waiter{client, request.id, request.query, now};
    auto q = resolve::Normalize(request.query);
    if (!q.ok()) {
      schema::LookupReply reply;
      reply.query = request.query;
      reply.outcome = std::string(schema::outcome::kError);
      reply.error = schema::ErrorName(q.status().code());
      reply.message = q.status().message();
      Answer(waiter, reply, now);
      return;
    }
    if (!request.fresh) {
      auto stored = store_->GetResult(q->normalized);
      if (stored.ok() && stored->expires_ms > now) {
        ++stats_.cache_hits;
        schema::LookupReply reply = stored->reply;
        if (reply.outcome == schema::outcome::kOk) reply.outcome = std::string(schema::outcome::kCached);
        Answer(waiter, reply, now);
        return;
      }
    }
    if (auto it = by_key_.find(q->normalized); it != by_key_.end()) {
      ++stats_.coalesced;
      Lookup& l = lookups_.at(it->second);
      if (request.notify) NotifyAccepted(client, request.id, l, now);
      l.waiters.push_back(std::move(waiter));
      l.deadline_ms = (request.deadline_ms == 0 || l.deadline_ms == 0)
                          ? 0
                          : std::max(l.deadline_ms, request.deadline_ms);
      return;
    }
    if (lookups_.size() >= options_.broker.max_pending) {
      schema::LookupReply reply;
      reply.query = request.query;
      reply.normalized = q->normalized;
      reply.outcome = std::string(schema::outcome::kError);
      reply.error = schema::ErrorName(ErrorCode::kOverloaded);
      reply.message = "broker has " + std::to_string(lookups_.size()) + " lookups pending";
      Answer(waiter, reply, now);
      return;
    }
    uint64_t id = next_lookup_id_++;
    schema::JournalEntry entry;
    entry.seq = id;
    entry.accepted_ms = now;
    entry.request = request;
    Status st = store_->PutJournal(entry);
    if (!st.ok()) spdlog::error("broker: journal write failed: {}", st.ToString());
    Lookup& l = NewLookup(id, *q, request, std::move(waiter));
    Plan(l, now);
    if (request.notify && lookups_.count(id)) NotifyAccepted(client, request.id, l, now);
  }

  // Tells a client where its lookup waits and the scheduler's estimate of when
  // its next query starts.
  void NotifyAccepted(const std::string& client, const std::string& id, const Lookup& l,
                      int64_t now) {
    schema::AcceptedReply a;
    a.id = id;
    a.normalized = l.query.normalized;
    a.server = l.host;
    if (l.request_id != 0) a.estimated_start_ms = scheduler_.EstimatedStart(l.request_id, SchedTime(now));
    SendTo(frontend_, client, schema::kClientProtocol, cmd::kAccepted, schema::Pack(a));
  }

  Lookup& NewLookup(uint64_t id, const resolve::Query& q, const schema::LookupRequest& request,
                    Waiter waiter) {
    Lookup& l = lookups_[id];
    l.id = id;
    l.query = q;
    l.deadline_ms = request.deadline_ms;
    l.fairness_key = waiter.client.empty() ? "journal" : waiter.client;
    l.priority = request.priority;
    l.waiters.push_back(std::move(waiter));
    by_key_[q.normalized] = id;
    return l;
  }

  // ---- the referral chain ------------------------------------------------------

  // Chooses the first hop: RDAP when preferred for this name and the
  // bootstrap names a server (and that server is not known to be down),
  // else WHOIS. Whichever fails first gives way to the other (Failover).
  void Plan(Lookup& l, int64_t now) {
    if (!l.rdap_tried && !l.whois_tried && PrefersRdap(l.query) && TryRdap(l, now)) return;
    PlanWhois(l, now);
  }

  bool PrefersRdap(const resolve::Query& q) const {
    if (!q.tld.empty()) {
      if (auto it = options_.protocol.tld.find(q.tld); it != options_.protocol.tld.end()) {
        return it->second == kRdap;
      }
    }
    return options_.protocol.prefer == kRdap;
  }

  // Starts the RDAP chain at the bootstrap's server; false when there is none
  // (or it is down), and the caller goes on with WHOIS.
  bool TryRdap(Lookup& l, int64_t now) {
    l.rdap_tried = true;
    std::optional<std::string> url = bootstrap_.QueryUrl(l.query);
    if (!url) return false;
    auto u = resolve::ParseUrl(*url);
    if (!u.ok()) {
      spdlog::error("broker: bootstrap gave a bad URL {}: {}", *url, u.status().ToString());
      return false;
    }
    // With strict_resolve only hosts in [resolve] can be reached: do not
    // spend a token (and hide the first protocol's error) on one that is not.
    if (options_.network.strict_resolve && !options_.resolve.count(u->host)) return false;
    if (auto down = rdap_down_until_.find(u->host); down != rdap_down_until_.end()) {
      if (down->second > now) {
        if (l.failover_note.empty()) l.failover_note = "rdap: " + u->host + " failed recently";
        return false;
      }
      rdap_down_until_.erase(down);
    }
    RdapHop(l, *u, now);
    return true;
  }

  void RdapHop(Lookup& l, const resolve::Url& url, int64_t now) {
    l.stage = Stage::kServer;
    l.protocol = kRdap;
    l.host = url.host;
    l.port = url.port;
    l.args = url.ToString();
    l.retries = 0;
    l.visited.insert(std::string(kRdap) + " " + l.args);
    Enqueue(l, now, false);
  }

  // An RDAP server failed: new lookups skip it for kRdapDownMs, and those
  // queued for it (all of them could be waiting behind its limits) move on
  // to WHOIS now. O(lookups in flight), at most once per server per period.
  void MarkRdapDown(const std::string& host, ErrorCode code, const std::string& message,
                    int64_t now) {
    rdap_down_until_[host] = now + kRdapDownMs;
    std::vector<uint64_t> moved;
    for (auto& [id, l] : lookups_) {
      if (l.protocol == kRdap && l.host == host && !l.has_record && l.request_id != 0 &&
          requests_.count(l.request_id) && scheduler_.Cancel(l.request_id)) {
        requests_.erase(l.request_id);
        l.request_id = 0;
        moved.push_back(id);
      }
    }
    for (uint64_t id : moved) {
      if (auto it = lookups_.find(id); it != lookups_.end()) {
        Failover(it->second, code, host + " failed for another lookup: " + message, now);
      }
    }
    if (!moved.empty()) spdlog::warn("broker: RDAP server {} failed ({}); {} queued lookups moved to WHOIS",
                                     host, schema::ErrorName(code), moved.size());
  }

  // The current protocol could not answer (and nothing was learned yet):
  // try the other one once, else the fallback record.
  void Failover(Lookup& l, ErrorCode why, const std::string& message, int64_t now) {
    std::string note = l.protocol + ": " + (l.stage == Stage::kIana ? "IANA: " : "") +
                       schema::ErrorName(why) + (message.empty() ? "" : ": " + message);
    if (l.protocol == kWhois && !l.rdap_tried) {
      if (TryRdap(l, now)) {
        l.failover_note = note;
        return;
      }
    } else if (l.protocol == kRdap && !l.whois_tried) {
      l.failover_note = note;
      return PlanWhois(l, now);
    }
    Fallback(l, why, message, now);
  }

  // WHOIS: a special zone from the built-in table, the server IANA named for
  // this TLD (stored), or IANA itself.
  void PlanWhois(Lookup& l, int64_t now) {
    l.whois_tried = true;
    l.protocol = kWhois;
    const resolve::Query& q = l.query;
    if (q.type == resolve::QueryType::kDomain) {
      const resolve::TldInfo* zone = resolve::FindTld(q.suffix);
      if (zone && zone->tld.find('.') != std::string::npos && !zone->whois_host.empty()) {
        return Hop(l, Stage::kServer, zone->whois_host, 43, now);
      }
      auto stored = store_->GetTld(q.tld);
      if (stored.ok() && stored->expires_ms > now) {
        if (!stored->server.empty()) return Hop(l, Stage::kServer, stored->server, stored->port, now);
        return BuiltinOrFallback(l, ErrorCode::kNoServer, "IANA names no WHOIS server for ." + q.tld, now);
      }
      // One IANA question per TLD: later lookups wait for the first one's answer.
      auto [waiting, first] = iana_waiters_.try_emplace(q.tld);
      if (!first) {
        waiting->second.push_back(l.id);
        return;
      }
      return Hop(l, Stage::kIana, options_.network.iana, options_.network.iana_port, now);
    }
    // TLDs, addresses and AS numbers: IANA answers them or refers to the RIR.
    return Hop(l, Stage::kIana, options_.network.iana, options_.network.iana_port, now);
  }

  void Hop(Lookup& l, Stage stage, const std::string& host, uint16_t port, int64_t now) {
    l.stage = stage;
    l.protocol = kWhois;
    l.whois_tried = true;
    l.host = host;
    l.port = port;
    l.retries = 0;
    if (stage == Stage::kIana) {
      // IANA is asked for the TLD only: one answer serves every domain under it.
      l.args = l.query.type == resolve::QueryType::kDomain ? l.query.tld : l.query.normalized;
    } else {
      l.args = resolve::FormatQuery(host, l.query);
      l.visited.insert(host + ":" + std::to_string(port));
    }
    Enqueue(l, now, false);
  }

  void Enqueue(Lookup& l, int64_t now, bool retry) {
    scheduler::Request r;
    r.id = next_request_id_++;
    r.server = l.host;
    r.client = l.fairness_key;
    r.deadline_ms = l.deadline_ms;
    r.retry = retry;
    r.priority = l.priority;
    requests_[r.id] = l.id;
    l.request_id = r.id;
    scheduler_.Enqueue(r, SchedTime(now));
  }

  void BuiltinOrFallback(Lookup& l, ErrorCode why, const std::string& message, int64_t now) {
    if (l.query.type == resolve::QueryType::kDomain) {
      const resolve::TldInfo* zone = resolve::FindTld(l.query.suffix);
      if (zone && !zone->whois_host.empty() && zone->status == "ok" &&
          !l.visited.count(zone->whois_host + ":43")) {
        return Hop(l, Stage::kServer, zone->whois_host, 43, now);
      }
    }
    Failover(l, why, message, now);
  }

  void OnDone(const std::string& worker, const schema::JobResult& result, int64_t now) {
    scheduler_.Release(result.token_id, OutcomeOf(result.error), SchedTime(now),
                       result.retry_after_ms);
    auto j = jobs_.find(result.job_id);
    if (j == jobs_.end()) return;  // re-queued meanwhile, or from before a restart
    pool_.Complete(j->second.worker, result.job_id);
    token_jobs_.erase(j->second.token_id);
    uint64_t lookup_id = j->second.lookup_id;
    int refresh = j->second.refresh;
    jobs_.erase(j);
    // The slot may let that server's next query start: send it before storing
    // and answering this result (a RocksDB write and a reply, ~0.4 ms) and
    // before the rest of a batch of results.
    Dispatch(NowUs());
    if (refresh >= 0) return OnRefreshDone(refresh, result, now);
    auto it = lookups_.find(lookup_id);
    if (it == lookups_.end()) return;
    Lookup& l = it->second;
    if (l.stage == Stage::kIana) return OnIanaDone(l, result, now);
    return OnServerDone(l, result, now);
  }

  void OnIanaDone(Lookup& l, const schema::JobResult& result, int64_t now) {
    const resolve::Query& q = l.query;
    if (!result.error.empty()) {
      if (result.error == schema::ErrorName(ErrorCode::kThrottled) && l.retries < kMaxThrottleRetries) {
        ++l.retries;
        return Enqueue(l, now, true);
      }
      std::vector<uint64_t> waiting = TakeIanaWaiters(l);
      BuiltinOrFallback(l, schema::ErrorFromName(result.error), "IANA: " + result.message, now);
      for (uint64_t id : waiting) {
        if (auto it = lookups_.find(id); it != lookups_.end()) {
          BuiltinOrFallback(it->second, schema::ErrorFromName(result.error),
                            "IANA: " + result.message, now);
        }
      }
      return;
    }
    if (q.type == resolve::QueryType::kTld) {
      return Finish(l, result.record, std::string(schema::outcome::kOk), "", "", now);
    }
    if (q.type == resolve::QueryType::kDomain) {
      schema::StoredTld entry;
      entry.server = result.referral_host;
      entry.port = result.referral_port;
      entry.learned_ms = now;
      entry.expires_ms = now + options_.store.tld_ttl_s * 1000;
      Status st = store_->PutTld(q.tld, entry);
      if (!st.ok()) spdlog::error("broker: TLD map not stored: {}", st.ToString());
    }
    std::vector<uint64_t> waiting = TakeIanaWaiters(l);
    if (result.referral_host.empty()) {
      BuiltinOrFallback(l, ErrorCode::kNoServer, "IANA names no WHOIS server for " + l.args, now);
    } else {
      Hop(l, Stage::kServer, result.referral_host, result.referral_port, now);
    }
    // The answer is stored now: the lookups that waited for it plan again.
    for (uint64_t id : waiting) {
      if (auto it = lookups_.find(id); it != lookups_.end()) Plan(it->second, now);
    }
  }

  // The lookups that waited for `l`'s IANA answer about its TLD.
  std::vector<uint64_t> TakeIanaWaiters(const Lookup& l) {
    if (l.query.type != resolve::QueryType::kDomain) return {};
    auto it = iana_waiters_.find(l.query.tld);
    if (it == iana_waiters_.end()) return {};
    std::vector<uint64_t> waiting = std::move(it->second);
    iana_waiters_.erase(it);
    return waiting;
  }

  void OnServerDone(Lookup& l, const schema::JobResult& result, int64_t now) {
    if (!result.error.empty()) {
      ErrorCode code = schema::ErrorFromName(result.error);
      if (code == ErrorCode::kThrottled && l.retries < kMaxThrottleRetries) {
        ++l.retries;
        return Enqueue(l, now, true);
      }
      if (l.has_record) {
        // The registrar failed: answer with what the registry gave, and say why
        // the chain ended early.
        l.note = "referral to " + l.host + " failed: " + result.error + ": " + result.message;
        return Finish(l, l.record, std::string(schema::outcome::kOk), result.error, l.note, now);
      }
      if (l.protocol == kRdap && ServerFailure(code)) {
        MarkRdapDown(l.host, code, result.message, now);
      }
      return Failover(l, code, result.message, now);
    }
    if (result.record.rawdata.empty() && !result.referral_url.empty()) {
      // An RDAP redirect to another server: nothing to keep, ask there.
      return FollowRdap(l, result.referral_url, now);
    }
    if (!l.has_record) {
      l.record = result.record;
      l.has_record = true;
    } else if (l.query.type == resolve::QueryType::kDomain) {
      l.record = schema::MergeReferral(std::move(l.record), result.record);
    } else {
      // Addresses and AS numbers: the more specific registry's answer wins.
      schema::Record merged = result.record;
      merged.rawdata.insert(merged.rawdata.begin(), l.record.rawdata.begin(), l.record.rawdata.end());
      merged.regyinfo.servers.insert(merged.regyinfo.servers.begin(),
                                     l.record.regyinfo.servers.begin(),
                                     l.record.regyinfo.servers.end());
      l.record = std::move(merged);
    }
    if (l.record.regyinfo.registrar.empty() && !l.record.regyinfo.servers.empty()) {
      l.record.regyinfo.registrar = l.record.regyinfo.servers.front().server;
    }
    if (!result.referral_url.empty() && result.record.regrinfo.registered != "no") {
      return FollowRdap(l, result.referral_url, now);
    }
    const std::string& next = result.referral_host;
    if (!next.empty() && result.record.regrinfo.registered != "no") {
      std::string key = next + ":" + std::to_string(result.referral_port);
      if (l.visited.count(key)) {
        l.note = std::string(schema::ErrorName(ErrorCode::kReferralLoop)) + ": " + key + " asked before";
      } else if (l.hops >= options_.broker.max_hops) {
        l.note = std::string(schema::ErrorName(ErrorCode::kReferralLoop)) + ": chain longer than " +
                 std::to_string(options_.broker.max_hops) + " hops";
      } else {
        return Hop(l, Stage::kServer, next, result.referral_port, now);
      }
    }
    Finish(l, l.record, std::string(schema::outcome::kOk),
           l.note.empty() ? "" : schema::ErrorName(ErrorCode::kReferralLoop), l.note, now);
  }

  // The next RDAP hop: a registry's `related` link to its registrar, or a
  // redirect to another server. Token-gated like any hop; loops and long
  // chains end the lookup with what it has.
  void FollowRdap(Lookup& l, const std::string& next_url, int64_t now) {
    auto url = resolve::ParseUrl(next_url);
    ErrorCode code = ErrorCode::kReferralLoop;
    std::string why;
    if (!url.ok()) {
      code = url.status().code();
      why = url.status().message();
    } else if (l.hops >= options_.broker.max_hops) {
      why = "chain longer than " + std::to_string(options_.broker.max_hops) + " hops";
    } else if (l.visited.count(std::string(kRdap) + " " + url->ToString())) {
      why = url->ToString() + " asked before";
    } else {
      return RdapHop(l, *url, now);
    }
    l.note = std::string(schema::ErrorName(code)) + ": " + why;
    if (!l.has_record) return Failover(l, code, why, now);
    Finish(l, l.record, std::string(schema::outcome::kOk), schema::ErrorName(code), l.note, now);
  }

  void Fallback(Lookup& l, ErrorCode why, const std::string& message, int64_t now) {
    schema::Record r;
    if (l.has_record) {
      r.rawdata = l.record.rawdata;
      r.regyinfo.servers = l.record.regyinfo.servers;
    }
    r.regyinfo.type = resolve::TypeName(l.query.type);
    r.regrinfo.registered = "unknown";
    r.fallback = true;
    r.reason = schema::ErrorName(why);
    r.throttled = why == ErrorCode::kThrottled;
    if (!l.query.tld.empty()) r.country = resolve::CountryForTld(l.query.tld);
    Finish(l, r, std::string(schema::outcome::kFallback), schema::ErrorName(why), message, now);
  }

  void Finish(Lookup& l, schema::Record record, const std::string& outcome, const std::string& error,
              const std::string& message, int64_t now) {
    record.regyinfo.type = resolve::TypeName(l.query.type);
    schema::LookupReply reply;
    reply.normalized = l.query.normalized;
    reply.type = resolve::TypeName(l.query.type);
    reply.outcome = outcome;
    reply.error = error;
    reply.message = message;
    if (!l.failover_note.empty()) {
      // Say why the answer came by the other protocol (or why both failed).
      reply.message = message.empty() ? l.failover_note : message + " (after " + l.failover_note + ")";
    }
    reply.fetched_ms = now;
    reply.record = std::move(record);

    schema::StoredResult stored;
    stored.reply = reply;
    stored.reply.query = l.waiters.empty() ? "" : l.waiters.front().query;
    int64_t ttl_s = outcome == schema::outcome::kFallback ? options_.store.fallback_ttl_s
                                                          : options_.store.result_ttl_s;
    stored.expires_ms = now + ttl_s * 1000;
    // A fallback for the request's own deadline or for a server's momentary
    // state says nothing about the name: the next request may do better.
    const bool transient = error == schema::ErrorName(ErrorCode::kQuotaExhausted) ||
                           error == schema::ErrorName(ErrorCode::kDeadline) ||
                           error == schema::ErrorName(ErrorCode::kThrottled);
    Status st = transient ? Status::Ok() : store_->PutResult(l.query.normalized, stored);
    if (!st.ok()) spdlog::error("broker: result not stored: {}", st.ToString());

    Publish(stored.reply, l.query);
    for (const Waiter& w : l.waiters) Answer(w, reply, now);
    st = store_->DeleteJournal(l.id);
    if (!st.ok()) spdlog::error("broker: journal entry not deleted: {}", st.ToString());
    // A lookup that ended while asking IANA hands the question on.
    std::vector<uint64_t> waiting;
    if (l.stage == Stage::kIana) waiting = TakeIanaWaiters(l);
    by_key_.erase(l.query.normalized);
    lookups_.erase(l.id);
    for (uint64_t id : waiting) {
      if (auto it = lookups_.find(id); it != lookups_.end()) Plan(it->second, now);
    }
  }

  void Answer(const Waiter& w, schema::LookupReply reply, int64_t now) {
    ++stats_.answered;
    if (w.client.empty()) return;  // replayed from the journal: its client is gone
    reply.id = w.id;
    reply.query = w.query;
    reply.elapsed_ms = now - w.accepted_ms;
    SendTo(frontend_, w.client, schema::kClientProtocol, cmd::kResult, schema::Pack(reply));
  }

  void Publish(schema::LookupReply reply, const resolve::Query& q) {
    reply.seq = ++publish_seq_;
    reply.id.clear();
    std::string topic = std::string(resolve::TypeName(q.type)) + "/";
    if (!q.tld.empty()) topic += q.tld + "/";
    topic += q.normalized;
    transport::SendFrames(publish_, {topic, std::string(schema::kPublishProtocol), schema::Pack(reply)});
  }

  // ---- RDAP bootstrap -------------------------------------------------------------

  // The built-in IANA files, replaced by newer ones stored by an earlier run.
  void RestoreBootstrap(int64_t now) {
    const bool refresh = !options_.rdap.bootstrap.empty();
    const int64_t ttl_ms = options_.rdap.bootstrap_ttl_s * 1000;
    for (size_t i = 0; i < std::size(kRegistries); ++i) {
      const char* file = resolve::RdapRegistryFile(kRegistries[i]);
      bool can_refresh = false;
      if (refresh) {
        auto url = resolve::ParseUrl(options_.rdap.bootstrap + file);
        if (url.ok()) {
          refresh_[i].url = *url;
          can_refresh = true;
        } else {
          spdlog::error("broker: [rdap] bootstrap: {}", url.status().ToString());
        }
      }
      refresh_[i].due_ms = can_refresh ? now : INT64_MAX;
      auto stored = store_->GetBootstrap(file);
      if (!stored.ok()) continue;
      Status st = bootstrap_.Load(kRegistries[i], stored->json);
      // "older" is expected: the built-in copy may be newer than a stored one.
      if (!st.ok()) spdlog::info("broker: stored bootstrap {} not used: {}", file, st.ToString());
      if (can_refresh) refresh_[i].due_ms = stored->fetched_ms + ttl_ms;
    }
  }

  // Queues the refreshes that are due. They go through the scheduler like
  // every other query: IANA's server has limits too.
  void StartRefreshes(int64_t now) {
    for (size_t i = 0; i < std::size(kRegistries); ++i) {
      Refresh& r = refresh_[i];
      if (r.in_flight || now < r.due_ms) continue;
      r.in_flight = true;
      scheduler::Request req;
      req.id = next_request_id_++;
      req.server = r.url.host;
      req.client = "bootstrap";
      refresh_requests_[req.id] = static_cast<int>(i);
      scheduler_.Enqueue(req, SchedTime(now));
    }
  }

  void SendRefreshJob(const scheduler::Grant& g, int index, int64_t now) {
    auto worker = pool_.PickFree();
    if (!worker) {
      scheduler_.Release(g.token.id, scheduler::Outcome::kError, SchedTime(now));
      return RefreshFailed(index, now);
    }
    const resolve::Url& url = refresh_[index].url;
    schema::Job job = NewJob(g, now);
    job.host = url.host;
    job.port = url.port;
    job.args = url.ToString();
    job.type = "bootstrap";
    job.protocol = kRdap;
    // dns.json is about 100 KB today; allow it to grow.
    job.max_bytes = std::max<uint32_t>(job.max_bytes, 16 << 20);
    SendJobTo(*worker, job, Job{0, g.token.id, *worker, index});
  }

  void OnRefreshDone(int index, const schema::JobResult& result, int64_t now) {
    const char* file = resolve::RdapRegistryFile(kRegistries[index]);
    if (!result.error.empty()) {
      spdlog::warn("broker: bootstrap {} not refreshed: {}: {}", file, result.error, result.message);
      return RefreshFailed(index, now);
    }
    schema::StoredBootstrap stored;
    stored.json = JoinLines(result.record.rawdata);
    stored.fetched_ms = now;
    Status st = bootstrap_.Load(kRegistries[index], stored.json);
    if (!st.ok()) {
      spdlog::warn("broker: bootstrap {} refused: {}", file, st.ToString());
      return RefreshFailed(index, now);
    }
    st = store_->PutBootstrap(file, stored);
    if (!st.ok()) spdlog::error("broker: bootstrap {} not stored: {}", file, st.ToString());
    spdlog::info("broker: bootstrap {} refreshed, publication {}", file,
                 bootstrap_.Publication(kRegistries[index]));
    refresh_[index].in_flight = false;
    refresh_[index].due_ms = now + options_.rdap.bootstrap_ttl_s * 1000;
  }

  void RefreshFailed(int index, int64_t now) {
    refresh_[index].in_flight = false;
    refresh_[index].due_ms =
        now + std::min<int64_t>(kBootstrapRetryMs, options_.rdap.bootstrap_ttl_s * 1000);
  }

  // ---- workers ----------------------------------------------------------------

  void OnWorker(const std::vector<std::string>& frames) {
    if (frames.empty()) return;
    const std::string& worker = frames[0];
    int64_t now = NowMs();
    auto env = schema::FromFrames({frames.begin() + 1, frames.end()}, schema::kWorkerProtocol);
    if (!env.ok()) {
      spdlog::warn("broker: protocol violation from worker: {}", env.status().ToString());
      SendTo(workers_, worker, schema::kWorkerProtocol, cmd::kDisconnect, {});
      Requeue(pool_.Remove(worker), now);
      return;
    }
    if (env->command == cmd::kReady) {
      auto hello = schema::Unpack<schema::WorkerHello>(env->body);
      if (!hello.ok() || hello->slots == 0) {
        SendTo(workers_, worker, schema::kWorkerProtocol, cmd::kDisconnect, {});
        return;
      }
      spdlog::info("broker: worker {} ready with {} slots", hello->worker_id, hello->slots);
      Requeue(pool_.Ready(worker, hello->slots, now), now);
      // Queries it still runs for a previous broker count against their servers.
      for (const schema::Token& t : hello->running) {
        scheduler_.AdoptToken(t.id, t.server, t.lease_until_ms, SchedTime(now));
      }
      return;
    }
    if (env->command == cmd::kDone) {
      auto result = schema::Unpack<schema::JobResult>(env->body);
      if (!result.ok()) {
        spdlog::warn("broker: bad result from worker: {}", result.status().ToString());
        return;  // the job's lease will expire and the hop be re-queued
      }
      pool_.Seen(worker, now);
      OnDone(worker, *result, now);
      if (!pool_.Known(worker)) {
        SendTo(workers_, worker, schema::kWorkerProtocol, cmd::kDisconnect, {});
      }
      return;
    }
    if (env->command == cmd::kHeartbeat) {
      if (!pool_.Known(worker)) {
        // We restarted or dropped it: it must announce itself again.
        SendTo(workers_, worker, schema::kWorkerProtocol, cmd::kDisconnect, {});
        return;
      }
      pool_.Seen(worker, now);
      return;
    }
    if (env->command == cmd::kDisconnect) {
      Requeue(pool_.Remove(worker), now);
      return;
    }
    spdlog::warn("broker: unknown worker command");
  }

  schema::StatsReply Stats(int64_t now) const {
    schema::StatsReply s;
    s.accepted = stats_.accepted;
    s.answered = stats_.answered;
    s.cache_hits = stats_.cache_hits;
    s.coalesced = stats_.coalesced;
    s.in_flight = lookups_.size();
    s.workers = static_cast<uint32_t>(pool_.size());
    s.free_slots = pool_.free_slots();
    s.servers = scheduler_.Stats(SchedTime(now));
    for (resolve::RdapRegistry r : kRegistries) {
      s.bootstrap[resolve::RdapRegistryFile(r)] = bootstrap_.Publication(r);
    }
    return s;
  }

  config::Options options_;
  std::unique_ptr<Store> store_;
  scheduler::Scheduler scheduler_;
  WorkerPool pool_;
  zmq::context_t ctx_;
  zmq::socket_t frontend_;
  zmq::socket_t publish_;
  zmq::socket_t workers_;
  int wake_timer_ = -1;  // timerfd for sub-ms wake-ups; -1: none (whole-ms poll)

  std::unordered_map<uint64_t, Lookup> lookups_;
  std::unordered_map<std::string, uint64_t> by_key_;      // normalized -> lookup id
  std::unordered_map<uint64_t, uint64_t> requests_;       // scheduler request -> lookup id
  std::unordered_map<uint64_t, Job> jobs_;                // job id -> job
  std::unordered_map<uint64_t, uint64_t> token_jobs_;     // token id -> job id
  // TLD -> lookups waiting for the IANA answer another lookup asked for.
  std::unordered_map<std::string, std::vector<uint64_t>> iana_waiters_;
  std::unordered_map<std::string, std::string> learned_written_;  // limit key -> last stored
  resolve::RdapBootstrap bootstrap_ = resolve::RdapBootstrap::Builtin();
  Refresh refresh_[std::size(kRegistries)];
  std::unordered_map<uint64_t, int> refresh_requests_;          // scheduler request -> registry
  std::unordered_map<std::string, int64_t> rdap_down_until_;    // RDAP host -> skip until
  uint64_t next_lookup_id_ = 1;
  uint64_t next_request_id_ = 1;
  uint64_t publish_seq_ = 0;
  int64_t lead_ms_ = 0;
  struct {
    uint64_t accepted = 0, answered = 0, cache_hits = 0, coalesced = 0, errors = 0;
  } stats_;
};

Broker::Broker(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Broker::~Broker() = default;

schema::Result<std::unique_ptr<Broker>> Broker::Create(const config::Options& options) {
  Status valid = scheduler::ValidateOptions(Broker::Impl::SchedulerOptions(options));
  if (!valid.ok()) return Status(ErrorCode::kMalformed, "[limits] " + valid.message());
  auto store = Store::Open(options.store.path);
  if (!store.ok()) return store.status();
  return std::unique_ptr<Broker>(new Broker(std::make_unique<Impl>(options, std::move(*store))));
}

schema::Status Broker::Run(const std::function<void(const BoundEndpoints&)>& on_bound) {
  return impl_->Run(stop_, on_bound);
}

}  // namespace whoisq::broker
