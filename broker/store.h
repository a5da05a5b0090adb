// The broker's durable state in RocksDB: results by normalized query, the TLD
// -> server map learned from IANA, the scheduler's daily counts, and the
// journal of accepted lookups. Key layout is in README "Store".
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "schema/messages.h"
#include "schema/status.h"

namespace rocksdb {
class DB;
}

namespace whoisq::broker {

// Not thread-safe by contract: the broker loop is its only user.
class Store {
 public:
  // Opens (creating if needed) the RocksDB folder at `path`.
  static schema::Result<std::unique_ptr<Store>> Open(const std::string& path);
  ~Store();

  // The stored result, or kNotFound. Expired results are returned too; the
  // caller compares expires_ms with its clock.
  schema::Result<schema::StoredResult> GetResult(const std::string& normalized);
  schema::Status PutResult(const std::string& normalized, const schema::StoredResult& result);

  schema::Result<schema::StoredTld> GetTld(const std::string& tld);
  schema::Status PutTld(const std::string& tld, const schema::StoredTld& entry);

  schema::Result<schema::StoredBootstrap> GetBootstrap(const std::string& file);
  schema::Status PutBootstrap(const std::string& file, const schema::StoredBootstrap& entry);

  // Grants spent for (limit key, UTC day). Written before a token is sent.
  schema::Status PutDaily(const std::string& limit_key, int64_t day, uint64_t used);
  struct DailyCount {
    std::string limit_key;
    int64_t day;
    uint64_t used;
  };
  // All counts of `day` (to restore the scheduler at start).
  std::vector<DailyCount> DailyCounts(int64_t day);

  schema::Status PutLearned(const std::string& limit_key, const schema::StoredLearned& learned);
  std::vector<std::pair<std::string, schema::StoredLearned>> Learned();

  schema::Status PutJournal(const schema::JournalEntry& entry);
  schema::Status DeleteJournal(uint64_t seq);
  std::vector<schema::JournalEntry> Journal();  // in accept order

 private:
  explicit Store(rocksdb::DB* db);
  std::unique_ptr<rocksdb::DB> db_;
};

}  // namespace whoisq::broker
