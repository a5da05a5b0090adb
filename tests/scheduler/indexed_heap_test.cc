#include "scheduler/indexed_heap.h"

#include <map>
#include <random>

#include <gtest/gtest.h>

namespace whoisq::scheduler {
namespace {

TEST(IndexedHeap, OrdersByTimeThenHandle) {
  IndexedHeap h;
  h.Set(3, 30);
  h.Set(1, 10);
  h.Set(2, 10);
  EXPECT_EQ(h.TopHandle(), 1u);
  h.Set(1, 40);  // move down
  EXPECT_EQ(h.TopHandle(), 2u);
  h.Remove(2);
  EXPECT_EQ(h.TopHandle(), 3u);
  EXPECT_EQ(h.TimeOf(1), 40);
  EXPECT_FALSE(h.Contains(2));
  EXPECT_EQ(h.size(), 2u);
}

TEST(IndexedHeap, MatchesAReferenceUnderRandomOperations) {
  std::mt19937 rng(7);
  IndexedHeap h;
  std::map<uint32_t, int64_t> ref;
  for (int step = 0; step < 20000; ++step) {
    uint32_t handle = rng() % 200;
    switch (rng() % 3) {
      case 0:
      case 1: {
        int64_t t = rng() % 1000;
        h.Set(handle, t);
        ref[handle] = t;
        break;
      }
      case 2:
        h.Remove(handle);
        ref.erase(handle);
        break;
    }
    ASSERT_EQ(h.size(), ref.size());
    if (!ref.empty()) {
      auto best = ref.begin();
      for (auto it = ref.begin(); it != ref.end(); ++it) {
        if (it->second < best->second) best = it;
      }
      ASSERT_EQ(h.TopTime(), best->second);
      ASSERT_EQ(h.TopHandle(), best->first);
    }
  }
}

}  // namespace
}  // namespace whoisq::scheduler
