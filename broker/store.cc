#include "broker/store.h"

#include <cinttypes>
#include <cstdio>

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include "schema/codec.h"

namespace whoisq::broker {
namespace {

using schema::ErrorCode;
using schema::Status;

// Key prefixes. One keyspace; prefixes keep the families apart.
constexpr char kResultPrefix[] = "r/";
constexpr char kTldPrefix[] = "t/";
constexpr char kBootstrapPrefix[] = "b/";
constexpr char kDailyPrefix[] = "q/";   // q/<day, 8 digits>/<limit key>
constexpr char kJournalPrefix[] = "j/";  // j/<seq, 16 hex digits>
constexpr char kLearnedPrefix[] = "l/";  // l/<limit key>

Status FromRocks(const rocksdb::Status& s) {
  if (s.ok()) return Status::Ok();
  if (s.IsNotFound()) return Status(ErrorCode::kNotFound, s.ToString());
  return Status(ErrorCode::kIoError, "rocksdb: " + s.ToString());
}

std::string DayKey(int64_t day) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%s%08" PRId64 "/", kDailyPrefix, day);
  return buf;
}

std::string JournalKey(uint64_t seq) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%s%016" PRIx64, kJournalPrefix, seq);
  return buf;
}

template <typename T>
schema::Result<T> GetAs(rocksdb::DB* db, const std::string& key) {
  std::string value;
  Status st = FromRocks(db->Get(rocksdb::ReadOptions(), key, &value));
  if (!st.ok()) return st;
  return schema::Unpack<T>(value);
}

}  // namespace

Store::Store(rocksdb::DB* db) : db_(db) {}
Store::~Store() = default;

schema::Result<std::unique_ptr<Store>> Store::Open(const std::string& path) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.IncreaseParallelism(2);
  options.OptimizeLevelStyleCompaction();
  rocksdb::DB* db = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(options, path, &db);
  if (!s.ok()) return Status(ErrorCode::kIoError, "cannot open store " + path + ": " + s.ToString());
  return std::unique_ptr<Store>(new Store(db));
}

schema::Result<schema::StoredResult> Store::GetResult(const std::string& normalized) {
  return GetAs<schema::StoredResult>(db_.get(), kResultPrefix + normalized);
}

Status Store::PutResult(const std::string& normalized, const schema::StoredResult& result) {
  return FromRocks(db_->Put(rocksdb::WriteOptions(), kResultPrefix + normalized, schema::Pack(result)));
}

schema::Result<schema::StoredTld> Store::GetTld(const std::string& tld) {
  return GetAs<schema::StoredTld>(db_.get(), kTldPrefix + tld);
}

schema::Result<schema::StoredBootstrap> Store::GetBootstrap(const std::string& file) {
  return GetAs<schema::StoredBootstrap>(db_.get(), kBootstrapPrefix + file);
}

Status Store::PutBootstrap(const std::string& file, const schema::StoredBootstrap& entry) {
  return FromRocks(db_->Put(rocksdb::WriteOptions(), kBootstrapPrefix + file, schema::Pack(entry)));
}

Status Store::PutTld(const std::string& tld, const schema::StoredTld& entry) {
  return FromRocks(db_->Put(rocksdb::WriteOptions(), kTldPrefix + tld, schema::Pack(entry)));
}

Status Store::PutDaily(const std::string& limit_key, int64_t day, uint64_t used) {
  return FromRocks(
      db_->Put(rocksdb::WriteOptions(), DayKey(day) + limit_key, std::to_string(used)));
}

std::vector<Store::DailyCount> Store::DailyCounts(int64_t day) {
  std::vector<DailyCount> out;
  const std::string prefix = DayKey(day);
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    std::string key = it->key().ToString().substr(prefix.size());
    uint64_t used = std::strtoull(it->value().ToString().c_str(), nullptr, 10);
    out.push_back({std::move(key), day, used});
  }
  return out;
}

Status Store::PutLearned(const std::string& limit_key, const schema::StoredLearned& learned) {
  return FromRocks(db_->Put(rocksdb::WriteOptions(), kLearnedPrefix + limit_key, schema::Pack(learned)));
}

std::vector<std::pair<std::string, schema::StoredLearned>> Store::Learned() {
  std::vector<std::pair<std::string, schema::StoredLearned>> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(kLearnedPrefix); it->Valid() && it->key().starts_with(kLearnedPrefix); it->Next()) {
    auto l = schema::Unpack<schema::StoredLearned>(std::string_view(it->value().data(), it->value().size()));
    if (l.ok()) out.emplace_back(it->key().ToString().substr(sizeof(kLearnedPrefix) - 1), std::move(*l));
  }
  return out;
}

Status Store::PutJournal(const schema::JournalEntry& entry) {
  return FromRocks(db_->Put(rocksdb::WriteOptions(), JournalKey(entry.seq), schema::Pack(entry)));
}

Status Store::DeleteJournal(uint64_t seq) {
  return FromRocks(db_->Delete(rocksdb::WriteOptions(), JournalKey(seq)));
}

std::vector<schema::JournalEntry> Store::Journal() {
  std::vector<schema::JournalEntry> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(kJournalPrefix); it->Valid() && it->key().starts_with(kJournalPrefix); it->Next()) {
    auto e = schema::Unpack<schema::JournalEntry>(std::string_view(it->value().data(), it->value().size()));
    if (e.ok()) out.push_back(std::move(*e));
  }
  return out;
}

}  // namespace whoisq::broker
