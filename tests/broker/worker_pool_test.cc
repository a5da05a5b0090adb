#include "broker/worker_pool.h"

#include <gtest/gtest.h>

namespace whoisq::broker {
namespace {

TEST(WorkerPool, TracksFreeSlotsAndPicksTheFreest) {
  WorkerPool pool;
  EXPECT_FALSE(pool.PickFree().has_value());
  pool.Ready("a", 2, 0);
  pool.Ready("b", 3, 0);
  EXPECT_EQ(pool.free_slots(), 5u);
  EXPECT_EQ(*pool.PickFree(), "b");
  pool.Assign("b", 1);
  pool.Assign("b", 2);
  EXPECT_EQ(*pool.PickFree(), "a");
  pool.Assign("a", 3);
  pool.Assign("a", 4);
  pool.Assign("b", 5);
  EXPECT_EQ(pool.free_slots(), 0u);
  EXPECT_FALSE(pool.PickFree().has_value());
  pool.Complete("a", 3);
  pool.Complete("a", 3);  // twice: counted once
  EXPECT_EQ(pool.free_slots(), 1u);
  EXPECT_EQ(*pool.PickFree(), "a");
}

TEST(WorkerPool, RemovingOrReannouncingReturnsTheJobs) {
  WorkerPool pool;
  pool.Ready("a", 4, 0);
  pool.Assign("a", 10);
  pool.Assign("a", 11);
  auto dropped = pool.Ready("a", 4, 5);  // restarted worker: its old jobs are gone
  EXPECT_EQ(dropped, (std::vector<uint64_t>{10, 11}));
  EXPECT_EQ(pool.free_slots(), 4u);
  pool.Assign("a", 12);
  EXPECT_EQ(pool.Remove("a"), (std::vector<uint64_t>{12}));
  EXPECT_EQ(pool.free_slots(), 0u);
  EXPECT_EQ(pool.size(), 0u);
  EXPECT_TRUE(pool.Remove("a").empty());
}

TEST(WorkerPool, ExpiresSilentWorkers) {
  WorkerPool pool;
  pool.Ready("old", 1, 100);
  pool.Ready("new", 1, 100);
  pool.Assign("old", 7);
  pool.Seen("new", 900);
  std::vector<std::string> removed;
  auto jobs = pool.Expire(500, &removed);
  EXPECT_EQ(removed, (std::vector<std::string>{"old"}));
  EXPECT_EQ(jobs, (std::vector<uint64_t>{7}));
  EXPECT_TRUE(pool.Known("new"));
  EXPECT_FALSE(pool.Known("old"));
  EXPECT_EQ(pool.free_slots(), 1u);
}

}  // namespace
}  // namespace whoisq::broker
