// The workers the broker knows: their free slots and liveness. A worker is
// known from its READY until it says DISCONNECT or stays silent too long.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace whoisq::broker {

// Single-threaded (the broker loop).
class WorkerPool {
 public:
  struct Worker {
    std::string identity;   // ZeroMQ routing id
    uint32_t slots = 0;
    std::set<uint64_t> jobs;  // job ids running there
    int64_t last_seen_ms = 0;
  };

  // Adds or re-announces a worker (a re-announce drops its old jobs, which are returned).
  std::vector<uint64_t> Ready(const std::string& identity, uint32_t slots, int64_t now_ms);
  bool Known(const std::string& identity) const { return workers_.count(identity) != 0; }
  void Seen(const std::string& identity, int64_t now_ms);
  // Removes a worker; returns the jobs it was running.
  std::vector<uint64_t> Remove(const std::string& identity);
  // Workers silent since before `cutoff_ms`, removed; returns their jobs.
  std::vector<uint64_t> Expire(int64_t cutoff_ms, std::vector<std::string>* removed);

  // The worker with the most free slots, or nullopt if every slot is busy.
  std::optional<std::string> PickFree() const;
  void Assign(const std::string& identity, uint64_t job_id);
  void Complete(const std::string& identity, uint64_t job_id);

  uint32_t free_slots() const { return free_slots_; }
  size_t size() const { return workers_.size(); }
  std::vector<std::string> Identities() const;

 private:
  std::map<std::string, Worker> workers_;
  uint32_t free_slots_ = 0;
};

}  // namespace whoisq::broker
