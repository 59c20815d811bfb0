// The audit writer's WAL writes are gathered into one per commit (wal_write_buffer.h), and
// nothing is lost or reordered on the way: records of every size, small ones and ones larger
// than the buffer, read back whole and the chain verifies.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "store/sqlite/decision_log.h"
#include "store/sqlite/wal_write_buffer.h"
#include "tests/temp_dir.h"

namespace fs = std::filesystem;
using kyc::store::sqlite::SqliteDecisionLog;
using Commit = kyc::store::DecisionLog::Commit;

namespace {

using kyc::test_support::TempDir;

// Write-type system calls this process made so far (write, pwrite, ...).
long write_calls() {
  std::ifstream io("/proc/self/io");
  std::string key;
  long value = 0;
  while (io >> key >> value)
    if (key == "syscw:") return value;
  return -1;
}

kyc::store::AuditRecord record(int i, size_t facts_bytes) {
  kyc::store::AuditRecord r;
  r.decision_id = "D" + std::to_string(i);
  r.time = "2026-11-27T00:00:00Z";
  r.stage = "evaluate";
  r.facts = "{\"pad\":\"" + std::string(facts_bytes, 'x') + "\"}";
  r.today = "2026-11-27";
  r.policy_sha256 = std::string(64, 'a');
  r.decision = "{}";
  return r;
}

}  // namespace

TEST(WalWriteBuffer, OneWritePerCommitNotTwoPerPage) {
  TempDir dir;
  fs::path db = dir.path / "audit.db";
  kyc::store::sqlite::AuditOptions options;
  options.checkpoint_pages = 1 << 30;  // no checkpoint: only the WAL is written meanwhile
  auto log = SqliteDecisionLog::open(db.string(), options);
  ASSERT_TRUE(log) << log.error().message;
  const int records = 2000;
  std::atomic<int> committed{0};
  long before = write_calls();
  for (int i = 0; i < records; ++i)
    (*log)->append(record(i, 3000), [&committed](Commit c) {
      if (c == Commit::Committed) ++committed;
    });
  while (committed.load() < records) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  long writes = write_calls() - before;
  long frames = static_cast<long>((fs::file_size(db.string() + "-wal") - 32) / (4096 + 24));
  EXPECT_GT(frames, 1000);  // 2,000 records of 3 KB
  // SQLite alone writes each frame in two calls (header, page): over 2 x frames.
  EXPECT_LT(writes, frames / 2) << writes << " write calls for " << frames << " WAL frames";
}

TEST(WalWriteBuffer, RecordsOfEverySizeReadBackAndTheChainVerifies) {
  TempDir dir;
  fs::path db = dir.path / "audit.db";
  kyc::store::sqlite::AuditOptions options;
  options.checkpoint_pages = 64;  // checkpoints often: they read the WAL back
  const size_t sizes[] = {10, 5000, kyc::store::sqlite::kWalWriteBufferBytes / 3,
                          kyc::store::sqlite::kWalWriteBufferBytes + 1,
                          3 * kyc::store::sqlite::kWalWriteBufferBytes};
  int n = 0;
  {
    auto log = SqliteDecisionLog::open(db.string(), options);
    ASSERT_TRUE(log) << log.error().message;
    for (int round = 0; round < 20; ++round)
      for (size_t bytes : sizes)
        (*log)->append(record(n++, bytes),
                    [](Commit c) { EXPECT_EQ(c, Commit::Committed); });
  }  // commits what is queued, then closes
  auto reader = SqliteDecisionLog::open_read_only(db.string());
  ASSERT_TRUE(reader) << reader.error().message;
  auto check = kyc::store::verify_chain(**reader);
  EXPECT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.records, n);
  for (int i : {0, 3, 4, n - 1}) {
    auto stored = (*reader)->get("D" + std::to_string(i));
    ASSERT_TRUE(stored && *stored) << i;
    EXPECT_EQ((*stored)->record.facts, record(i, sizes[i % 5]).facts) << i;
  }
}
