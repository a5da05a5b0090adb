// The queue of one client at one server: higher priority first, then FIFO.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace whoisq::scheduler {

// One queued request as the queue sees it: 16 bytes. `slot` indexes the
// scheduler's request table; `seq` orders equal priorities (smaller first) and
// also tells a live entry from a stale one (the slot's seq changed).
struct QueueEntry {
  int64_t seq;
  int32_t priority;
  uint32_t slot;
};

// A binary heap of QueueEntry. Removal of single entries is lazy (the owner
// knows which are stale and skips them at Top, or compacts with RemoveIf).
// A value type; not thread-safe.
class ClientQueue {
 public:
  bool empty() const { return heap_.empty(); }
  size_t size() const { return heap_.size(); }
  const QueueEntry& Top() const { return heap_.front(); }

  void Push(const QueueEntry& e) {
    heap_.push_back(e);
    std::push_heap(heap_.begin(), heap_.end(), After);
  }
  void Pop() {
    std::pop_heap(heap_.begin(), heap_.end(), After);
    heap_.pop_back();
  }
  // Removes every entry for which pred(entry) is true, in O(n).
  template <typename Pred>
  void RemoveIf(Pred&& pred) {
    heap_.erase(std::remove_if(heap_.begin(), heap_.end(), pred), heap_.end());
    std::make_heap(heap_.begin(), heap_.end(), After);
    if (heap_.capacity() > 64 && heap_.size() < heap_.capacity() / 4) heap_.shrink_to_fit();
  }
  // Calls f(entry) for every entry, in no particular order.
  template <typename F>
  void ForEach(F&& f) const {
    for (const QueueEntry& e : heap_) f(e);
  }
  // Empties the queue; keeps small capacity for reuse, frees large.
  void Clear() {
    heap_.clear();
    if (heap_.capacity() > 16) heap_.shrink_to_fit();
  }
  // True if a is served before b.
  static bool Before(const QueueEntry& a, const QueueEntry& b) {
    return a.priority > b.priority || (a.priority == b.priority && a.seq < b.seq);
  }

 private:
  // std heap functions keep the largest on top; "largest" = served first.
  static bool After(const QueueEntry& a, const QueueEntry& b) { return Before(b, a); }

  std::vector<QueueEntry> heap_;
};

}  // namespace whoisq::scheduler
