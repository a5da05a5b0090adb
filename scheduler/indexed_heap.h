// A binary min-heap of (time, handle) with an index from handle to position,
// so an entry can be moved or removed in O(log n) without leaving garbage.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace whoisq::scheduler {

// Handles are small integers chosen by the caller (a slot index); the index
// array grows to the largest handle seen. Equal times are ordered by `order`
// (the caller's tie-break, e.g. when a key was last served), then by handle,
// so the order is deterministic. A value type; not thread-safe.
class IndexedHeap {
 public:
  static constexpr uint32_t kAbsent = UINT32_MAX;

  bool empty() const { return heap_.empty(); }
  size_t size() const { return heap_.size(); }
  bool Contains(uint32_t handle) const {
    return handle < pos_.size() && pos_[handle] != kAbsent;
  }
  // The smallest entry. Requires !empty().
  int64_t TopTime() const { return heap_[0].time; }
  uint32_t TopHandle() const { return heap_[0].handle; }
  // INT64_MAX when empty.
  int64_t TopTimeOr(int64_t none) const { return heap_.empty() ? none : heap_[0].time; }
  // The time of a contained handle.
  int64_t TimeOf(uint32_t handle) const { return heap_[pos_[handle]].time; }

  // Inserts handle with time, or moves it to time if present.
  void Set(uint32_t handle, int64_t time, uint64_t order = 0) {
    if (handle >= pos_.size()) pos_.resize(static_cast<size_t>(handle) + 1, kAbsent);
    uint32_t p = pos_[handle];
    if (p == kAbsent) {
      p = static_cast<uint32_t>(heap_.size());
      heap_.push_back({time, order, handle});
      pos_[handle] = p;
      SiftUp(p);
      return;
    }
    Entry old = heap_[p];
    heap_[p].time = time;
    heap_[p].order = order;
    if (Less(heap_[p], old)) {
      SiftUp(p);
    } else {
      SiftDown(p);
    }
  }

  // Removes handle if present.
  void Remove(uint32_t handle) {
    if (!Contains(handle)) return;
    uint32_t p = pos_[handle];
    pos_[handle] = kAbsent;
    uint32_t last = static_cast<uint32_t>(heap_.size() - 1);
    if (p != last) {
      heap_[p] = heap_[last];
      pos_[heap_[p].handle] = p;
      heap_.pop_back();
      SiftDown(p);
      SiftUp(p);
    } else {
      heap_.pop_back();
    }
  }

  void Pop() { Remove(heap_[0].handle); }

 private:
  struct Entry {
    int64_t time;
    uint64_t order;
    uint32_t handle;
  };
  static bool Less(const Entry& a, const Entry& b) {
    if (a.time != b.time) return a.time < b.time;
    if (a.order != b.order) return a.order < b.order;
    return a.handle < b.handle;
  }
  void Place(uint32_t p, const Entry& e) {
    heap_[p] = e;
    pos_[e.handle] = p;
  }
  void SiftUp(uint32_t p) {
    Entry e = heap_[p];
    while (p > 0) {
      uint32_t parent = (p - 1) / 2;
      if (!Less(e, heap_[parent])) break;
      Place(p, heap_[parent]);
      p = parent;
    }
    Place(p, e);
  }
  void SiftDown(uint32_t p) {
    Entry e = heap_[p];
    uint32_t n = static_cast<uint32_t>(heap_.size());
    for (;;) {
      uint32_t c = 2 * p + 1;
      if (c >= n) break;
      if (c + 1 < n && Less(heap_[c + 1], heap_[c])) ++c;
      if (!Less(heap_[c], e)) break;
      Place(p, heap_[c]);
      p = c;
    }
    Place(p, e);
  }

  std::vector<Entry> heap_;
  std::vector<uint32_t> pos_;  // handle -> position in heap_, kAbsent if not in it
};

}  // namespace whoisq::scheduler
