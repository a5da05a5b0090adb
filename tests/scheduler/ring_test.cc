#include "scheduler/ring.h"

#include <vector>

#include <gtest/gtest.h>

namespace whoisq::scheduler {
namespace {

class RingTest : public ::testing::Test {
 protected:
  std::vector<RingLinks> links_ = std::vector<RingLinks>(8);
  Ring ring_;
  RingLinks& L(uint32_t i) { return links_[i]; }
  auto Links() {
    return [this](uint32_t i) -> RingLinks& { return links_[i]; };
  }
  // Serves n times, returning the elements in order.
  std::vector<uint32_t> Serve(int n) {
    std::vector<uint32_t> out;
    for (int i = 0; i < n; ++i) {
      out.push_back(ring_.cursor());
      ring_.Advance(Links());
    }
    return out;
  }
};

TEST_F(RingTest, ServesInTurn) {
  for (uint32_t i : {0u, 1u, 2u}) ring_.Insert(i, Links());
  EXPECT_EQ(Serve(6), (std::vector<uint32_t>{0, 1, 2, 0, 1, 2}));
}

TEST_F(RingTest, NewcomerIsServedLastInTheRound) {
  ring_.Insert(0, Links());
  ring_.Insert(1, Links());
  EXPECT_EQ(Serve(1), (std::vector<uint32_t>{0}));
  ring_.Insert(2, Links());  // cursor is at 1: 2 goes after 0
  EXPECT_EQ(Serve(4), (std::vector<uint32_t>{1, 0, 2, 1}));
}

TEST_F(RingTest, RemovingTheCursorMovesItOn) {
  for (uint32_t i : {0u, 1u, 2u}) ring_.Insert(i, Links());
  ring_.Remove(0, Links());
  EXPECT_EQ(ring_.cursor(), 1u);
  ring_.Remove(2, Links());
  EXPECT_EQ(Serve(2), (std::vector<uint32_t>{1, 1}));
  ring_.Remove(1, Links());
  EXPECT_TRUE(ring_.empty());
  EXPECT_EQ(ring_.size(), 0u);
}

}  // namespace
}  // namespace whoisq::scheduler
