#include "scheduler/client_queue.h"

#include <random>
#include <set>
#include <vector>

#include <gtest/gtest.h>

namespace whoisq::scheduler {
namespace {

std::vector<uint32_t> Drain(ClientQueue& q) {
  std::vector<uint32_t> out;
  while (!q.empty()) {
    out.push_back(q.Top().slot);
    q.Pop();
  }
  return out;
}

TEST(ClientQueue, HigherPriorityFirstThenFifo) {
  ClientQueue q;
  q.Push({1, 0, 10});
  q.Push({2, 5, 11});
  q.Push({3, 0, 12});
  q.Push({4, 5, 13});
  q.Push({-1, 0, 14});  // a retry: head of the priority-0 entries
  EXPECT_EQ(Drain(q), (std::vector<uint32_t>{11, 13, 14, 10, 12}));
}

TEST(ClientQueue, RemoveIfKeepsOrder) {
  ClientQueue q;
  for (int i = 0; i < 100; ++i) q.Push({i + 1, i % 3, static_cast<uint32_t>(i)});
  q.RemoveIf([](const QueueEntry& e) { return e.slot % 2 == 0; });
  std::vector<uint32_t> got = Drain(q);
  ASSERT_EQ(got.size(), 50u);
  for (size_t i = 1; i < got.size(); ++i) {
    int pa = got[i - 1] % 3, pb = got[i] % 3;
    EXPECT_TRUE(pa > pb || (pa == pb && got[i - 1] < got[i])) << i;
  }
}

TEST(ClientQueue, MatchesAReferenceUnderRandomOperations) {
  std::mt19937 rng(5);
  ClientQueue q;
  auto before = [](const QueueEntry& a, const QueueEntry& b) { return ClientQueue::Before(a, b); };
  std::set<QueueEntry, decltype(before)> ref(before);
  int64_t seq = 0;
  for (int step = 0; step < 20'000; ++step) {
    uint32_t op = rng() % 10;
    if (op < 5) {
      QueueEntry e{++seq, static_cast<int32_t>(rng() % 4), static_cast<uint32_t>(seq)};
      q.Push(e);
      ref.insert(e);
    } else if (op < 9) {
      if (!ref.empty()) {
        q.Pop();
        ref.erase(ref.begin());
      }
    } else {
      uint32_t m = 2 + rng() % 3;
      q.RemoveIf([m](const QueueEntry& e) { return e.slot % m == 0; });
      std::erase_if(ref, [m](const QueueEntry& e) { return e.slot % m == 0; });
    }
    ASSERT_EQ(q.size(), ref.size());
    ASSERT_EQ(q.empty(), ref.empty());
    if (!ref.empty()) {
      ASSERT_EQ(q.Top().slot, ref.begin()->slot);
    }
  }
}

}  // namespace
}  // namespace whoisq::scheduler
