// Every wire message of whoisq. Frames and their order are documented in
// README.md ("Protocol"); the frame helpers in schema/frames.h build and read
// them. Bodies are msgpack maps keyed by field name; every body carries `v`,
// its version, and a peer ignores keys it does not know.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <msgpack.hpp>

#include "schema/record.h"

namespace whoisq::schema {

// Protocol identifiers: the second frame of every client/worker message and of
// every published event. The trailing digit is the protocol version.
inline constexpr std::string_view kClientProtocol = "WQC1";
inline constexpr std::string_view kWorkerProtocol = "WQW1";
inline constexpr std::string_view kPublishProtocol = "WQP1";
inline constexpr uint32_t kMessageVersion = 1;

// Commands (third frame).
namespace cmd {
inline constexpr std::string_view kLookup = "LOOKUP";        // client -> broker
inline constexpr std::string_view kResult = "RESULT";        // broker -> client
inline constexpr std::string_view kAccepted = "ACCEPTED";    // broker -> client
inline constexpr std::string_view kError = "ERROR";          // broker -> client
inline constexpr std::string_view kStats = "STATS";          // both ways
inline constexpr std::string_view kPing = "PING";            // client -> broker
inline constexpr std::string_view kPong = "PONG";            // broker -> client
inline constexpr std::string_view kReady = "READY";          // worker -> broker
inline constexpr std::string_view kJob = "JOB";              // broker -> worker
inline constexpr std::string_view kDone = "DONE";            // worker -> broker
inline constexpr std::string_view kHeartbeat = "HEARTBEAT";  // both ways
inline constexpr std::string_view kDisconnect = "DISCONNECT";  // both ways
}  // namespace cmd

// Outcomes of a lookup (LookupReply::outcome).
namespace outcome {
inline constexpr std::string_view kOk = "ok";              // fresh answer from the servers
inline constexpr std::string_view kCached = "cached";      // answered from the store
inline constexpr std::string_view kFallback = "fallback";  // no WHOIS data; TLD-derived record
inline constexpr std::string_view kError = "error";        // refused before any query
}  // namespace outcome

struct LookupRequest {
  uint32_t v = kMessageVersion;
  std::string id;           // client's request id, echoed in the reply
  std::string query;        // domain, URL, IP, CIDR or AS number, as the client has it
  int64_t deadline_ms = 0;  // absolute Unix time in ms after which the answer is useless; 0 = none
  bool fresh = false;       // bypass the store: query the servers even if a result is stored
  int32_t priority = 0;     // higher first among one client's requests
  bool notify = false;      // also send ACCEPTED (with the estimated wait) when queued

  MSGPACK_DEFINE_MAP(v, id, query, deadline_ms, fresh, priority, notify);
};

// Sent (when the request asked with `notify`) once a lookup is queued rather
// than answered at once: where it waits and for how long, as the scheduler
// estimates it now.
struct AcceptedReply {
  uint32_t v = kMessageVersion;
  std::string id;
  std::string normalized;
  std::string server;              // the server its next query goes to ("" if joined another)
  int64_t estimated_start_ms = -1; // Unix ms when that query should start; -1 unknown

  MSGPACK_DEFINE_MAP(v, id, normalized, server, estimated_start_ms);
};

struct LookupReply {
  uint32_t v = kMessageVersion;
  std::string id;          // the client's request id ("" on the result stream)
  std::string query;       // as submitted
  std::string normalized;  // the cache key: registrable domain, address or AS
  std::string type;        // "domain", "ip" or "AS"
  std::string outcome;     // see namespace outcome
  std::string error;       // ErrorName, "" when outcome is ok/cached
  std::string message;     // human-readable detail of the error
  int64_t fetched_ms = 0;  // when the record was fetched from the servers (Unix ms)
  int64_t elapsed_ms = 0;  // broker-side time from accept to answer
  uint64_t seq = 0;        // position in the result stream (published events)
  Record record;

  MSGPACK_DEFINE_MAP(v, id, query, normalized, type, outcome, error, message, fetched_ms,
                     elapsed_ms, seq, record);
};

// A bad request (malformed body, unknown command): the client stays connected.
struct ErrorReply {
  uint32_t v = kMessageVersion;
  std::string id;       // request id if it could be read
  std::string error;    // ErrorName
  std::string message;

  MSGPACK_DEFINE_MAP(v, id, error, message);
};

// Permission for exactly one query to one server, until lease_until_ms.
struct Token {
  uint64_t id = 0;
  std::string server;         // host name of the server
  int64_t lease_until_ms = 0; // Unix ms; the slot frees itself after this

  MSGPACK_DEFINE_MAP(id, server, lease_until_ms);
};

// A worker announces itself and how many jobs it runs at once. After a broker
// restart it also lists the tokens of the queries it is still running, so the
// new broker counts them against their servers' concurrency.
struct WorkerHello {
  uint32_t v = kMessageVersion;
  std::string worker_id;
  uint32_t slots = 1;
  std::string host;
  int64_t pid = 0;
  std::vector<Token> running;

  MSGPACK_DEFINE_MAP(v, worker_id, slots, host, pid, running);
};

// One hop to perform: connect to host:port, send args + CRLF, read to EOF.
struct Job {
  uint32_t v = kMessageVersion;
  uint64_t job_id = 0;
  Token token;
  std::string host;
  uint16_t port = 43;
  std::string args;            // WHOIS: the query line, without CRLF (validated by the
                               // broker); RDAP: the absolute http(s) URL to GET
  std::string type;            // "domain", "ip", "AS" or "tld" (an IANA look-up)
  std::string protocol = "whois";
  uint32_t hop = 0;            // 0 for the first server of the chain
  uint32_t timeout_ms = 15000; // whole hop: connect, send, read
  uint32_t max_bytes = 1 << 20;
  int64_t not_before_ms = 0;   // Unix ms: do not connect before (the granted instant)

  MSGPACK_DEFINE_MAP(v, job_id, token, host, port, args, type, protocol, hop, timeout_ms,
                     max_bytes, not_before_ms);
};

// The outcome of one hop. `record` holds the parsed answer with its raw lines;
// `referral_host` names the next server when the answer refers elsewhere.
struct JobResult {
  uint32_t v = kMessageVersion;
  uint64_t job_id = 0;
  uint64_t token_id = 0;
  std::string error;        // ErrorName; "" on success
  std::string message;
  uint64_t bytes = 0;       // size of the raw answer
  int64_t elapsed_ms = 0;
  std::string referral_host;
  uint16_t referral_port = 43;
  Record record;
  // RDAP: the registrar's RDAP URL (a `related` link or a redirect to another
  // host), to be asked as the next hop; referral_host/port name its server.
  std::string referral_url;
  int32_t http_status = 0;     // RDAP: the final HTTP status, 0 for WHOIS
  int64_t retry_after_ms = 0;  // RDAP 429: the server's Retry-After, 0 if absent

  MSGPACK_DEFINE_MAP(v, job_id, token_id, error, message, bytes, elapsed_ms, referral_host,
                     referral_port, record, referral_url, http_status, retry_after_ms);
};

// Operator view of one server in the scheduler (STATS reply).
struct ServerStats {
  std::string server;
  uint32_t tokens_out = 0;
  uint32_t concurrency = 0;
  double per_second = 0;
  uint64_t spent_today = 0;
  uint64_t daily = 0;
  uint64_t queued = 0;
  uint64_t granted = 0;
  uint64_t throttles = 0;
  int64_t next_eligible_ms = 0;
  // Limits are counted per limit key (the host or its group); the fields
  // below, spent_today, daily and throttles are those of the key.
  std::string limit_key;
  uint32_t effective_concurrency = 0;  // learned from throttles, <= concurrency (0 = unlimited)
  double effective_per_second = 0;     // learned from throttles, <= per_second (0 = unlimited)
  int64_t paused_until_ms = 0;         // no grant before this after a throttle (Unix ms)

  MSGPACK_DEFINE_MAP(server, tokens_out, concurrency, per_second, spent_today, daily, queued,
                     granted, throttles, next_eligible_ms, limit_key, effective_concurrency,
                     effective_per_second, paused_until_ms);
};

struct StatsReply {
  uint32_t v = kMessageVersion;
  uint64_t accepted = 0;
  uint64_t answered = 0;
  uint64_t cache_hits = 0;
  uint64_t coalesced = 0;
  uint64_t in_flight = 0;
  uint32_t workers = 0;
  uint32_t free_slots = 0;
  std::vector<ServerStats> servers;
  // RDAP bootstrap file ("dns.json", ...) -> the publication time it states.
  std::map<std::string, std::string> bootstrap;

  MSGPACK_DEFINE_MAP(v, accepted, answered, cache_hits, coalesced, in_flight, workers, free_slots,
                     servers, bootstrap);
};

// A result as kept in the store (key: the normalized query).
struct StoredResult {
  uint32_t v = kMessageVersion;
  int64_t expires_ms = 0;  // fresh until then; a fallback expires sooner
  LookupReply reply;       // id and seq are not stored

  MSGPACK_DEFINE_MAP(v, expires_ms, reply);
};

// What IANA said serves a TLD (key: the TLD), kept with a TTL.
struct StoredTld {
  uint32_t v = kMessageVersion;
  std::string server;      // "" when IANA names no WHOIS server
  uint16_t port = 43;
  int64_t learned_ms = 0;
  int64_t expires_ms = 0;

  MSGPACK_DEFINE_MAP(v, server, port, learned_ms, expires_ms);
};

// A refreshed RDAP bootstrap file (key: its name, "dns.json", "ipv4.json",
// "ipv6.json", "asn.json"), kept so a restart starts from the newest one.
struct StoredBootstrap {
  uint32_t v = kMessageVersion;
  std::string json;        // the file as IANA served it
  int64_t fetched_ms = 0;  // when it was fetched (the next refresh is due bootstrap_ttl_s later)

  MSGPACK_DEFINE_MAP(v, json, fetched_ms);
};

// What the scheduler learned about a limit key that publishes no limits
// (key: the limit key), restored after a restart. Mirrors
// scheduler::LearnedLimit field for field (0 = as configured).
struct StoredLearned {
  uint32_t v = kMessageVersion;
  double per_second = 0;
  uint32_t concurrency = 0;
  uint32_t backoff_level = 0;
  uint64_t throttles = 0;
  int64_t paused_until_ms = 0;
  uint32_t burst = 0;
  double fast_per_second = 0;
  uint32_t fast_concurrency = 0;
  double confirmed_per_second = 0;
  uint32_t probe_every = 0;
  int64_t last_throttle_ms = 0;

  MSGPACK_DEFINE_MAP(v, per_second, concurrency, backoff_level, throttles, paused_until_ms, burst,
                     fast_per_second, fast_concurrency, confirmed_per_second, probe_every,
                     last_throttle_ms);
};

// An accepted lookup, journaled until it is answered so a restarted broker
// runs it again (key: a sequence number).
struct JournalEntry {
  uint32_t v = kMessageVersion;
  uint64_t seq = 0;
  int64_t accepted_ms = 0;
  LookupRequest request;

  MSGPACK_DEFINE_MAP(v, seq, accepted_ms, request);
};

}  // namespace whoisq::schema
