#include "scheduler/id_map.h"

#include <random>
#include <unordered_map>

#include <gtest/gtest.h>

namespace whoisq::scheduler {
namespace {

TEST(IdMap, InsertFindErase) {
  IdMap m;
  EXPECT_EQ(m.Find(0), IdMap::kNone);
  EXPECT_TRUE(m.Insert(0, 7));
  EXPECT_FALSE(m.Insert(0, 8));
  EXPECT_EQ(m.Find(0), 7u);
  EXPECT_TRUE(m.Erase(0));
  EXPECT_FALSE(m.Erase(0));
  EXPECT_TRUE(m.empty());
}

TEST(IdMap, MatchesAReferenceUnderRandomOperations) {
  std::mt19937_64 rng(11);
  IdMap m;
  std::unordered_map<uint64_t, uint32_t> ref;
  for (int step = 0; step < 200'000; ++step) {
    // Small key space for collisions, sometimes large keys.
    uint64_t key = rng() % 4 == 0 ? rng() : rng() % 3000;
    uint32_t op = rng() % 10;
    if (op < 5) {
      uint32_t v = static_cast<uint32_t>(rng() % 1000);
      ASSERT_EQ(m.Insert(key, v), ref.emplace(key, v).second);
    } else if (op < 9) {
      ASSERT_EQ(m.Erase(key), ref.erase(key) == 1);
    } else {
      auto it = ref.find(key);
      ASSERT_EQ(m.Find(key), it == ref.end() ? IdMap::kNone : it->second);
    }
    ASSERT_EQ(m.size(), ref.size());
  }
  for (const auto& [k, v] : ref) ASSERT_EQ(m.Find(k), v);
}

}  // namespace
}  // namespace whoisq::scheduler
