#include "broker/worker_pool.h"

namespace whoisq::broker {

std::vector<uint64_t> WorkerPool::Ready(const std::string& identity, uint32_t slots,
                                        int64_t now_ms) {
  std::vector<uint64_t> dropped = Remove(identity);
  Worker w;
  w.identity = identity;
  w.slots = slots;
  w.last_seen_ms = now_ms;
  workers_[identity] = std::move(w);
  free_slots_ += slots;
  return dropped;
}

void WorkerPool::Seen(const std::string& identity, int64_t now_ms) {
  if (auto it = workers_.find(identity); it != workers_.end()) it->second.last_seen_ms = now_ms;
}

std::vector<uint64_t> WorkerPool::Remove(const std::string& identity) {
  auto it = workers_.find(identity);
  if (it == workers_.end()) return {};
  std::vector<uint64_t> jobs(it->second.jobs.begin(), it->second.jobs.end());
  free_slots_ -= it->second.slots - static_cast<uint32_t>(it->second.jobs.size());
  workers_.erase(it);
  return jobs;
}

std::vector<uint64_t> WorkerPool::Expire(int64_t cutoff_ms, std::vector<std::string>* removed) {
  std::vector<std::string> silent;
  for (const auto& [id, w] : workers_) {
    if (w.last_seen_ms < cutoff_ms) silent.push_back(id);
  }
  std::vector<uint64_t> jobs;
  for (const auto& id : silent) {
    auto j = Remove(id);
    jobs.insert(jobs.end(), j.begin(), j.end());
    if (removed) removed->push_back(id);
  }
  return jobs;
}

std::optional<std::string> WorkerPool::PickFree() const {
  const Worker* best = nullptr;
  uint32_t best_free = 0;
  for (const auto& [id, w] : workers_) {
    uint32_t free = w.slots - static_cast<uint32_t>(w.jobs.size());
    if (free > best_free) {
      best = &w;
      best_free = free;
    }
  }
  if (!best) return std::nullopt;
  return best->identity;
}

void WorkerPool::Assign(const std::string& identity, uint64_t job_id) {
  auto it = workers_.find(identity);
  if (it == workers_.end()) return;
  if (it->second.jobs.insert(job_id).second) --free_slots_;
}

void WorkerPool::Complete(const std::string& identity, uint64_t job_id) {
  auto it = workers_.find(identity);
  if (it == workers_.end()) return;
  if (it->second.jobs.erase(job_id)) ++free_slots_;
}

std::vector<std::string> WorkerPool::Identities() const {
  std::vector<std::string> out;
  for (const auto& [id, w] : workers_) out.push_back(id);
  return out;
}

}  // namespace whoisq::broker
