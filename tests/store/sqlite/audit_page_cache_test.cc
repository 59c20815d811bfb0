// The audit log only grows, and its records are rarely read again: once a checkpoint has
// copied and synced them into the database file, their pages leave the OS page cache
// (SqliteDecisionLog::after_commit). Without that a busy service kept gigabytes of its log cached,
// and its commits slowed down as the cache grew. Pages rewritten in place (an account's attempts,
// which every decision on it reads) stay: dropping them sent each read to the disk.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/decision_log.h"

namespace fs = std::filesystem;
using Log = kyc::store::sqlite::SqliteDecisionLog;
using Commit = kyc::store::DecisionLog::Commit;

namespace {

// Per page of the file at `path`, whether it is in the page cache.
std::vector<bool> cached_pages(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY);
  struct stat st {};
  ::fstat(fd, &st);
  size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  size_t pages = (static_cast<size_t>(st.st_size) + page - 1) / page;
  void* map = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_SHARED, fd, 0);
  std::vector<unsigned char> in_core(pages);
  ::mincore(map, static_cast<size_t>(st.st_size), in_core.data());
  ::munmap(map, static_cast<size_t>(st.st_size));
  ::close(fd);
  std::vector<bool> cached(pages);
  for (size_t i = 0; i < pages; ++i) cached[i] = in_core[i] & 1;
  return cached;
}

size_t count_cached(const std::vector<bool>& cached) {
  return static_cast<size_t>(std::count(cached.begin(), cached.end(), true));
}

// 3,000 records of 2 KB on `account_id` (none: no account), checkpointed every ~200 KiB.
void append_records(Log& log, const std::string& account_id, std::atomic<int>& committed) {
  const std::string facts = "{\"pad\":\"" + std::string(2000, 'x') + "\"}";
  for (int i = 0; i < 3000; ++i) {
    kyc::store::AuditRecord r;
    r.decision_id = "D" + std::to_string(i);
    r.time = "2026-11-27T00:00:00Z";
    r.stage = "evaluate";
    r.facts = facts;
    r.today = "2026-11-27";
    r.policy_sha256 = std::string(64, 'a');
    r.decision = "{}";
    r.account_id = account_id;
    r.failed_attempt = true;
    log.append(std::move(r), [&committed](Commit c) { committed += c == Commit::Committed; });
  }
}

}  // namespace

// A log in a folder of its own on a disk (on tmpfs the page cache is the storage itself, and
// the test is skipped), checkpointing every 50 pages (~200 KiB of WAL).
class SqliteDecisionLog : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/kycd-audit-cache-XXXXXX";
    dir_ = mkdtemp(tmpl);
    struct statfs fs_info {};
    ::statfs(dir_.c_str(), &fs_info);
    if (fs_info.f_type == TMPFS_MAGIC)
      GTEST_SKIP() << "on tmpfs the page cache is the storage itself";
    db_ = dir_ / "audit.db";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<Log> open_log() {
    kyc::store::sqlite::AuditOptions options;
    options.checkpoint_pages = 50;
    auto log = Log::open(db_.string(), options);
    EXPECT_TRUE(log) << log.error().message;
    return log ? std::move(*log) : nullptr;
  }

  fs::path dir_, db_;
  std::atomic<int> committed_ = 0;
};

TEST_F(SqliteDecisionLog, CheckpointedPagesLeaveThePageCache) {
  {
    auto log = open_log();
    ASSERT_TRUE(log);
    append_records(*log, "", committed_);
  }  // commits what is queued, then closes
  EXPECT_EQ(committed_, 3000);
  std::vector<bool> cached = cached_pages(db_);
  const size_t resident = count_cached(cached);
  EXPECT_GT(cached.size(), 1500u);  // about 12 MiB of records were written
  EXPECT_LT(resident, cached.size() / 4)
      << resident << " of " << cached.size() << " pages still cached";
}

TEST_F(SqliteDecisionLog, AnAccountsAttemptsStayCachedAcrossCheckpoints) {
  auto log = open_log();
  ASSERT_TRUE(log);
  append_records(*log, "A1", committed_);
  for (int i = 0; i < 600 && committed_ < 3000; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_EQ(committed_, 3000);
  // The attempts table holds one row: its root page, rewritten by every checkpoint.
  int64_t root = SQLite::Database(db_.string(), SQLite::OPEN_READONLY)
                     .execAndGet("SELECT rootpage FROM sqlite_master WHERE name = 'attempts'")
                     .getInt64();
  std::vector<bool> cached = cached_pages(db_);
  ASSERT_GE(cached.size(), static_cast<size_t>(root));
  EXPECT_TRUE(cached[static_cast<size_t>(root - 1)]);
  const size_t resident = count_cached(cached);
  EXPECT_LT(resident, cached.size() / 4) << resident << " of " << cached.size() << " cached";
}
