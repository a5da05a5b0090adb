// The scheduler core: per-server queues, fair dispatch of tokens within each
// server's concurrency, rate and daily limits, leases, and limits learned from
// throttles. Pure logic: no I/O, no threads; the clock is passed in (now_ms,
// Unix ms; the grant instant to the µs with DispatchUs/NextWakeupUs). Design
// and guarantees: docs/scheduler.md.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "schema/messages.h"
#include "schema/status.h"
#include "scheduler/limits.h"

namespace whoisq::scheduler {

class SchedulerImpl;

struct Options {
  Limits default_limits;                      // for servers with no entry
  std::map<std::string, Limits> servers;      // per host name; a group's limits are those of
                                              // its alphabetically first host
  int64_t lease_ms = 60000;                   // a token not returned by then frees itself;
                                              // workers must stop their query before it
  BackoffOptions backoff;                     // learning of unpublished limits
  uint64_t first_token_id = 1;                // token ids count up from here; a broker that
                                              // restarts while old tokens may come back
                                              // passes e.g. now_ms << 20
};

// Checks options before a Scheduler is built: rates finite and >= 0, burst
// >= 1, lease > 0, sane backoff, and hosts of one group with equal limits.
// The message names the field, e.g. "servers[whois.x].burst must be >= 1".
schema::Status ValidateOptions(const Options& options);

struct Request {
  uint64_t id = 0;            // unique among queued requests, chosen by the broker
  std::string server;         // host name to query
  std::string client;         // fairness key (the client identity)
  int64_t deadline_ms = 0;    // 0 = none; granted only while now_ms < deadline_ms
  int32_t priority = 0;       // higher first within one client
  bool retry = false;         // re-queue after kThrottled/kRefused: goes to the head of its
                              // client's queue (before equal priorities)
};

struct Grant {
  uint64_t request_id = 0;
  schema::Token token;        // token.id unique; token.server = the host; token.lease_until_ms
  std::string limit_key;      // host or group: what the daily count is kept under
  int64_t day = 0;            // UTC day number (days since 1970-01-01)
  uint64_t daily_used = 0;    // the count for (limit_key, day) after this grant: persist it
};

struct Rejection {
  uint64_t request_id = 0;
  schema::ErrorCode code = schema::ErrorCode::kOk;  // kQuotaExhausted or kDeadline
  std::string message;
};

// Decides which queued request may query which server when. Used from one
// thread (the broker loop); not thread-safe. Every method is O(log n) per
// request touched except where noted.
class Scheduler {
 public:
  // `options` should pass ValidateOptions (a group takes the limits of its
  // first host; burst 0 is read as 1).
  explicit Scheduler(Options options);
  ~Scheduler();
  Scheduler(Scheduler&&) noexcept;
  Scheduler& operator=(Scheduler&&) noexcept;

  // Restores the count of (limit_key, day) persisted from a Grant. Call before
  // Enqueue at start; a later day or a larger count of the same day wins.
  void RestoreDaily(const std::string& limit_key, int64_t day, uint64_t used);
  // Call once at start after a restart: the previous process may have spent
  // a burst just before it stopped, so every limit key (also those first seen
  // later) starts its rate with an empty bucket at now_ms: its first grant is
  // due one emission interval later. Without it a restart can exceed the rate
  // by up to one burst. now_ms must not be before the previous process's
  // last grant (round a µs clock up).
  void AssumeRestart(int64_t now_ms);
  // After a restart: counts a token granted by the previous process that a
  // worker reports still running (its id, host and lease end), so the
  // server's concurrency holds across the restart. Not counted again against
  // the rate or the daily quota. Ignored if the id is known or the lease has
  // ended.
  void AdoptToken(uint64_t token_id, const std::string& server, int64_t lease_until_ms,
                  int64_t now_ms);
  // Queues a request. One that cannot be granted in time is rejected at once
  // (see TakeRejections): deadline already passed, or its limit key's quota
  // is spent for today and the deadline comes before the next UTC day. A
  // duplicate of a queued id is a caller bug: ignored (asserts in debug).
  void Enqueue(const Request& request, int64_t now_ms);
  // Removes a queued request; false if not queued.
  bool Cancel(uint64_t request_id);
  // Grants at most max_grants tokens that the limits allow at now_ms, limit
  // keys earliest-eligible first. Expires queued deadlines first. The grant
  // that spends a key's daily quota also rejects its requests that cannot
  // wait for the next day: O(requests queued on that key), once a day.
  std::vector<Grant> Dispatch(int64_t now_ms, size_t max_grants);
  // Dispatch at the Unix µs now_us: a rate is kept to the µs rather than the
  // whole ms (burst 1 at 17.5/s: a grant every 57.143 ms, not every 58).
  // Deadlines, leases and the day count whole ms (those of floor(now_us /
  // 1000)). Dispatch(now_ms) is DispatchUs(now_ms * 1000).
  std::vector<Grant> DispatchUs(int64_t now_us, size_t max_grants);
  // Rejections decided since the last call (kQuotaExhausted, kDeadline), after
  // expiring deadlines up to now_ms.
  std::vector<Rejection> TakeRejections(int64_t now_ms);
  // Returns a token. kThrottled/kRefused back the limit key off (the broker
  // re-enqueues the request with Request::retry if it wants it retried); kOk
  // runs bring it back up. A throttle that came with the server's own wait
  // (HTTP Retry-After), `retry_after_ms` > 0, pauses the key at least that
  // long (capped at the backoff's pause_max_ms). An unknown id (expired or
  // returned) is ignored.
  void Release(uint64_t token_id, Outcome outcome, int64_t now_ms, int64_t retry_after_ms = 0);
  // Frees tokens whose lease ended at or before now_ms; returns their ids.
  std::vector<uint64_t> ExpireLeases(int64_t now_ms);
  // The earliest time >= now_ms at which Dispatch, TakeRejections or
  // ExpireLeases could do something; now_ms if something is due; INT64_MAX if
  // nothing will ever be (no queue, no token out). A caller that cannot take
  // grants now (no free worker slot) passes can_dispatch = false: due grants
  // are then left out, so its loop sleeps until a deadline, a lease end, or
  // its own I/O instead of spinning.
  int64_t NextWakeup(int64_t now_ms, bool can_dispatch = true) const;
  // The same in Unix µs, for a caller that dispatches with DispatchUs: the
  // exact µs a grant becomes due. NextWakeup(now_ms) is this rounded up to a
  // whole ms.
  int64_t NextWakeupUs(int64_t now_us, bool can_dispatch = true) const;
  // An estimate of when a queued request will be granted; -1 if not queued.
  // O(requests queued on its limit key).
  int64_t EstimatedStart(uint64_t request_id, int64_t now_ms) const;
  // The limit key of a host: its group, or the host itself.
  std::string LimitKey(const std::string& server) const;
  size_t queued() const;
  size_t tokens_out() const;
  // One entry per host seen (configured or enqueued). O(hosts).
  std::vector<schema::ServerStats> Stats(int64_t now_ms) const;

  // Learned limits of every limit key that learned something; the broker
  // persists them and passes them to RestoreLearned after a restart.
  std::vector<LearnedLimit> ExportLearned() const;
  void RestoreLearned(const LearnedLimit& learned, int64_t now_ms);

 private:
  std::unique_ptr<SchedulerImpl> impl_;
};

}  // namespace whoisq::scheduler
