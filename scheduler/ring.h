// A round-robin ring with a cursor over elements that live in the caller's
// vector (intrusive links), so joining, leaving and advancing are O(1).
#pragma once

#include <cstddef>
#include <cstdint>

namespace whoisq::scheduler {

inline constexpr uint32_t kNil = UINT32_MAX;

// Embedded in each element that can be on a Ring.
struct RingLinks {
  uint32_t prev = kNil;
  uint32_t next = kNil;
};

// `links(i)` must return the RingLinks& of element i. An element is on at most
// one ring per RingLinks. A value type; not thread-safe.
class Ring {
 public:
  bool empty() const { return cursor_ == kNil; }
  size_t size() const { return size_; }
  // The element to serve next; kNil when empty.
  uint32_t cursor() const { return cursor_; }

  // Adds i just before the cursor: it is served last in the current round.
  template <typename LinksOf>
  void Insert(uint32_t i, LinksOf&& links) {
    RingLinks& l = links(i);
    if (cursor_ == kNil) {
      l.prev = l.next = i;
      cursor_ = i;
    } else {
      uint32_t before = links(cursor_).prev;
      l.prev = before;
      l.next = cursor_;
      links(before).next = i;
      links(cursor_).prev = i;
    }
    ++size_;
  }

  // Removes i, which must be on this ring. The cursor moves to its successor.
  template <typename LinksOf>
  void Remove(uint32_t i, LinksOf&& links) {
    RingLinks& l = links(i);
    if (l.next == i) {
      cursor_ = kNil;
    } else {
      links(l.prev).next = l.next;
      links(l.next).prev = l.prev;
      if (cursor_ == i) cursor_ = l.next;
    }
    l.prev = l.next = kNil;
    --size_;
  }

  // Moves the cursor to the next element.
  template <typename LinksOf>
  void Advance(LinksOf&& links) {
    if (cursor_ != kNil) cursor_ = links(cursor_).next;
  }

 private:
  uint32_t cursor_ = kNil;
  size_t size_ = 0;
};

}  // namespace whoisq::scheduler
