// The broker's RocksDB store, on a real RocksDB in a fresh temp folder.
#include "broker/store.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace whoisq::broker {
namespace {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("whoisq-store-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
              "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name()))
                .string();
    std::filesystem::remove_all(path_);
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(path_);
  }
  void Reopen() {
    store_.reset();
    auto s = Store::Open(path_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }

  std::string path_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, ResultsRoundTripAndSurviveReopen) {
  EXPECT_EQ(store_->GetResult("example.com").status().code(), schema::ErrorCode::kNotFound);
  schema::StoredResult r;
  r.expires_ms = 123;
  r.reply.normalized = "example.com";
  r.reply.record.regrinfo.domain.sponsor = "MarkMonitor Inc.";
  ASSERT_TRUE(store_->PutResult("example.com", r).ok());
  Reopen();
  auto back = store_->GetResult("example.com");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->expires_ms, 123);
  EXPECT_EQ(back->reply.record.regrinfo.domain.sponsor, "MarkMonitor Inc.");
}

TEST_F(StoreTest, DailyCountsAreKeptPerDay) {
  ASSERT_TRUE(store_->PutDaily("whois.a.net", 20000, 30).ok());
  ASSERT_TRUE(store_->PutDaily("whois.b.net", 20000, 5).ok());
  ASSERT_TRUE(store_->PutDaily("whois.a.net", 20001, 1).ok());
  ASSERT_TRUE(store_->PutDaily("whois.a.net", 20000, 31).ok());  // overwrite
  Reopen();
  auto today = store_->DailyCounts(20000);
  ASSERT_EQ(today.size(), 2u);
  EXPECT_EQ(today[0].limit_key, "whois.a.net");
  EXPECT_EQ(today[0].used, 31u);
  EXPECT_EQ(today[1].limit_key, "whois.b.net");
  EXPECT_EQ(today[1].used, 5u);
  EXPECT_EQ(store_->DailyCounts(20001).size(), 1u);
  EXPECT_TRUE(store_->DailyCounts(19999).empty());
}

TEST_F(StoreTest, JournalKeepsAcceptOrderUntilDeleted) {
  for (uint64_t seq : {3u, 1u, 200u}) {
    schema::JournalEntry e;
    e.seq = seq;
    e.request.query = "q" + std::to_string(seq);
    ASSERT_TRUE(store_->PutJournal(e).ok());
  }
  ASSERT_TRUE(store_->DeleteJournal(3).ok());
  Reopen();
  auto j = store_->Journal();
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0].seq, 1u);  // numeric order, not text order
  EXPECT_EQ(j[1].seq, 200u);
  EXPECT_EQ(j[1].request.query, "q200");
}

TEST_F(StoreTest, TldMapAndLearnedLimits) {
  schema::StoredTld t;
  t.server = "whois.nic.xyz";
  t.expires_ms = 99;
  ASSERT_TRUE(store_->PutTld("xyz", t).ok());
  schema::StoredLearned l;
  l.per_second = 0.5;
  l.throttles = 7;
  ASSERT_TRUE(store_->PutLearned("whois.nic.xyz", l).ok());
  Reopen();
  auto tld = store_->GetTld("xyz");
  ASSERT_TRUE(tld.ok());
  EXPECT_EQ(tld->server, "whois.nic.xyz");
  EXPECT_FALSE(store_->GetTld("abc").ok());
  auto learned = store_->Learned();
  ASSERT_EQ(learned.size(), 1u);
  EXPECT_EQ(learned[0].first, "whois.nic.xyz");
  EXPECT_DOUBLE_EQ(learned[0].second.per_second, 0.5);
  EXPECT_EQ(learned[0].second.throttles, 7u);
}

TEST_F(StoreTest, OpeningAFileThatIsNotADatabaseFails) {
  std::string file = path_ + "-file";
  { std::ofstream(file) << "not a database"; }
  auto s = Store::Open(file);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), schema::ErrorCode::kIoError);
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace whoisq::broker
