// The state behind Scheduler (scheduler.h): interned hosts, keys and
// clients, the request table, the per-(host, client) queues, and the three
// indexed heaps. Private to scheduler/; the contract is in scheduler.h.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "schema/messages.h"
#include "schema/status.h"
#include "scheduler/client_queue.h"
#include "scheduler/id_map.h"
#include "scheduler/indexed_heap.h"
#include "scheduler/limit_state.h"
#include "scheduler/limits.h"
#include "scheduler/ring.h"
#include "scheduler/scheduler.h"

namespace whoisq::scheduler {

// See Scheduler. Used from one thread; not thread-safe.
class SchedulerImpl {
 public:
  explicit SchedulerImpl(Options options);
  // LimitState keeps a pointer into options_: the object never moves.
  SchedulerImpl(const SchedulerImpl&) = delete;
  SchedulerImpl& operator=(const SchedulerImpl&) = delete;
  void RestoreDaily(const std::string& limit_key, int64_t day, uint64_t used);
  void AssumeRestart(int64_t now_ms);
  void AdoptToken(uint64_t token_id, const std::string& server, int64_t lease_until_ms,
                  int64_t now_ms);
  void Enqueue(const Request& request, int64_t now_ms);
  bool Cancel(uint64_t request_id);
  std::vector<Grant> DispatchUs(int64_t now_us, size_t max_grants);
  std::vector<Rejection> TakeRejections(int64_t now_ms);
  void Release(uint64_t token_id, Outcome outcome, int64_t now_ms, int64_t retry_after_ms);
  std::vector<uint64_t> ExpireLeases(int64_t now_ms);
  int64_t NextWakeupUs(int64_t now_us, bool can_dispatch) const;
  int64_t EstimatedStart(uint64_t request_id, int64_t now_ms) const;
  std::string LimitKey(const std::string& server) const;
  size_t queued() const { return queued_; }
  size_t tokens_out() const { return tokens_.size(); }
  std::vector<schema::ServerStats> Stats(int64_t now_ms) const;
  std::vector<LearnedLimit> ExportLearned() const;
  void RestoreLearned(const LearnedLimit& learned, int64_t now_ms);

 private:
  struct Slot;  // a queued request
  struct ClientQueueNode;
  struct Host;
  struct Key;
  struct TokenRecord;

  const Limits& LimitsOfHost(const std::string& host) const;
  Limits LimitsOfKey(const std::string& key) const;
  uint32_t InternKey(const std::string& key);
  uint32_t InternHost(const std::string& host);
  uint32_t InternClient(const std::string& client);
  void ReleaseClient(uint32_t client);
  uint32_t FindOrAddClientQueue(uint32_t host, uint32_t client);
  void Reschedule(uint32_t key);
  // Unlinks slot from every index and counter; frees empty queues.
  void RemoveQueued(uint32_t slot);
  void Reject(uint32_t slot, schema::ErrorCode code, const char* why);
  void ExpireDeadlines(int64_t now_ms);
  // Rejects the queued requests of a key whose daily quota is spent and whose
  // deadline comes before the next UTC day.
  void RejectOverQuota(uint32_t key);
  void CompactIfStale(uint32_t cq);
  // Records a token out at host (slab, id map, lease heap, counters).
  void AddToken(uint64_t token_id, uint32_t host, int64_t granted_ms, uint32_t out_before,
                int64_t lease_until_ms);
  bool Live(const QueueEntry& e) const;

  Options options_;
  std::map<std::string, Limits> group_limits_;

  struct Slot {
    uint64_t id = 0;
    int64_t deadline_ms = 0;
    int64_t seq = 0;        // 0: free
    uint32_t queue = 0;     // ClientQueueNode index (next free slot when free)
    int32_t priority = 0;
  };
  struct ClientQueueNode {
    ClientQueue queue;
    uint32_t client = 0;
    uint32_t host = 0;
    uint32_t live = 0;      // entries of queue that are not stale
    RingLinks links;        // on its host's ring of clients
  };
  struct Host {
    std::string name;
    uint32_t key = 0;
    uint64_t queued = 0;
    uint64_t granted = 0;
    uint32_t tokens_out = 0;
    Ring clients;           // client queues with live requests
    RingLinks links;        // on its key's ring of hosts
  };
  struct Key {
    LimitState state;
    Ring hosts;             // hosts with live requests
    uint64_t queued = 0;
    int64_t last_grant_us = INT64_MIN;
    uint64_t served = 0;    // dispatch_seq_ at its last grant: round-robin among due keys
  };
  struct TokenRecord {
    uint64_t id = 0;
    int64_t granted_ms = 0;
    uint32_t host = 0;
    uint32_t out_before = 0;  // tokens of its key out when it was granted: what the server
                              // refused if it throttles (fills the padding of this record)
  };

  std::vector<Key> keys_;
  std::unordered_map<std::string, uint32_t> key_index_;
  std::vector<Host> hosts_;
  std::unordered_map<std::string, uint32_t> host_index_;
  std::vector<std::string> client_names_;
  std::vector<uint32_t> client_refs_;  // client queues per client; 0: free
  std::vector<uint32_t> free_clients_;
  std::unordered_map<std::string, uint32_t> client_index_;
  std::vector<ClientQueueNode> queues_;
  std::vector<uint32_t> free_queues_;
  IdMap queue_index_;  // host << 32 | client -> queue

  std::vector<Slot> slots_;
  uint32_t free_slot_ = kNil;
  IdMap slot_index_;                                    // request id -> slot
  int64_t tail_seq_ = 0;                                // FIFO order, counts up
  int64_t head_seq_ = 0;                                // retries count down: before any tail
  size_t queued_ = 0;

  std::vector<TokenRecord> tokens_slab_;
  std::vector<uint32_t> free_tokens_;
  IdMap tokens_;  // token id -> tokens_slab_ index
  uint64_t max_adopted_id_ = 0;  // highest id given to AdoptToken: grants skip those in use
  uint64_t next_token_id_;

  IndexedHeap eligible_;   // key -> max(next eligible µs, last grant µs); keys with queue and a free slot
  uint64_t dispatch_seq_ = 0;
  int64_t restart_ms_ = INT64_MIN;  // AssumeRestart time; keys created later start empty too
  IndexedHeap deadlines_;  // slot -> deadline ms
  IndexedHeap leases_;     // token slab index -> lease end ms
  std::vector<Rejection> rejections_;
};

}  // namespace whoisq::scheduler
