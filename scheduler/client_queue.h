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

// A binary heap of QueueEntry whose first entry is kept inline: most queues
// hold one or two requests (many clients, many servers), and then Top() costs
// no extra cache miss and a one-entry queue no allocation. Removal of single
// entries is lazy (the owner knows which are stale and skips them at Top, or
// compacts with RemoveIf). A value type; not thread-safe.
class ClientQueue {
 public:
  bool empty() const { return !has_top_; }
  size_t size() const { return (has_top_ ? 1 : 0) + rest_.size(); }
  // The entry served first. Requires !empty().
  const QueueEntry& Top() const { return top_; }

  void Push(const QueueEntry& e) {
    if (!has_top_) {
      top_ = e;
      has_top_ = true;
      return;
    }
    if (Before(e, top_)) {
      PushRest(top_);
      top_ = e;
    } else {
      PushRest(e);
    }
  }
  void Pop() {
    if (rest_.empty()) {
      has_top_ = false;
      return;
    }
    std::pop_heap(rest_.begin(), rest_.end(), After);
    top_ = rest_.back();
    rest_.pop_back();
  }
  // Removes every entry for which pred(entry) is true, in O(n).
  template <typename Pred>
  void RemoveIf(Pred&& pred) {
    if (has_top_) rest_.push_back(top_);
    rest_.erase(std::remove_if(rest_.begin(), rest_.end(), pred), rest_.end());
    has_top_ = false;
    if (rest_.empty()) return;
    std::make_heap(rest_.begin(), rest_.end(), After);
    Pop();  // the best becomes top_
    has_top_ = true;
    if (rest_.capacity() > 64 && rest_.size() < rest_.capacity() / 4) rest_.shrink_to_fit();
  }
  // Calls f(entry) for every entry, in no particular order.
  template <typename F>
  void ForEach(F&& f) const {
    if (has_top_) f(top_);
    for (const QueueEntry& e : rest_) f(e);
  }
  // Empties the queue; keeps small capacity for reuse, frees large.
  void Clear() {
    has_top_ = false;
    rest_.clear();
    if (rest_.capacity() > 16) rest_.shrink_to_fit();
  }
  // True if a is served before b.
  static bool Before(const QueueEntry& a, const QueueEntry& b) {
    return a.priority > b.priority || (a.priority == b.priority && a.seq < b.seq);
  }

 private:
  // std heap functions keep the largest on top; "largest" = served first.
  static bool After(const QueueEntry& a, const QueueEntry& b) { return Before(b, a); }
  void PushRest(const QueueEntry& e) {
    rest_.push_back(e);
    std::push_heap(rest_.begin(), rest_.end(), After);
  }

  QueueEntry top_{};
  bool has_top_ = false;
  std::vector<QueueEntry> rest_;  // heap of the others
};

}  // namespace whoisq::scheduler
