#include "scheduler/client_queue.h"

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

}  // namespace
}  // namespace whoisq::scheduler
