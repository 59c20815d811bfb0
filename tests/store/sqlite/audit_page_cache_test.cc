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
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "store/sqlite/decision_log.h"

namespace fs = std::filesystem;
using kyc::store::sqlite::SqliteDecisionLog;
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

// Pages of the file at `path` in the page cache, and all its pages.
std::pair<size_t, size_t> resident_pages(const fs::path& path) {
  std::vector<bool> cached = cached_pages(path);
  return {static_cast<size_t>(std::count(cached.begin(), cached.end(), true)), cached.size()};
}

// A folder for the test's log, or nothing on tmpfs, where the page cache is the storage itself.
std::optional<fs::path> log_folder() {
  char tmpl[] = "/tmp/kycd-audit-cache-XXXXXX";
  fs::path dir = mkdtemp(tmpl);
  struct statfs fs_info {};
  ::statfs(dir.c_str(), &fs_info);
  if (fs_info.f_type != TMPFS_MAGIC) return dir;
  fs::remove_all(dir);
  return std::nullopt;
}

// 3,000 records of 2 KB on `account_id` (none: no account), checkpointed every ~200 KiB.
void append_records(SqliteDecisionLog& log, const std::string& account_id,
                    std::atomic<int>& committed) {
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

kyc::store::sqlite::AuditOptions checkpointing_often() {
  kyc::store::sqlite::AuditOptions options;
  options.checkpoint_pages = 50;  // a checkpoint every ~200 KiB of WAL
  return options;
}

}  // namespace

TEST(SqliteDecisionLog, CheckpointedPagesLeaveThePageCache) {
  std::optional<fs::path> dir = log_folder();
  if (!dir) GTEST_SKIP() << "on tmpfs the page cache is the storage itself";
  fs::path db = *dir / "audit.db";
  std::atomic<int> committed = 0;
  {
    auto log = SqliteDecisionLog::open(db.string(), checkpointing_often());
    ASSERT_TRUE(log) << log.error().message;
    append_records(**log, "", committed);
  }  // commits what is queued, then closes
  EXPECT_EQ(committed, 3000);
  auto [resident, pages] = resident_pages(db);
  EXPECT_GT(pages, 1500u);  // about 12 MiB of records were written
  EXPECT_LT(resident, pages / 4) << resident << " of " << pages << " pages still cached";
  fs::remove_all(*dir);
}

TEST(SqliteDecisionLog, AnAccountsAttemptsStayCachedAcrossCheckpoints) {
  std::optional<fs::path> dir = log_folder();
  if (!dir) GTEST_SKIP() << "on tmpfs the page cache is the storage itself";
  fs::path db = *dir / "audit.db";
  std::atomic<int> committed = 0;
  auto log = SqliteDecisionLog::open(db.string(), checkpointing_often());
  ASSERT_TRUE(log) << log.error().message;
  append_records(**log, "A1", committed);
  for (int i = 0; i < 600 && committed < 3000; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_EQ(committed, 3000);
  // The attempts table holds one row: its root page, rewritten by every checkpoint.
  int64_t root = SQLite::Database(db.string(), SQLite::OPEN_READONLY)
                     .execAndGet("SELECT rootpage FROM sqlite_master WHERE name = 'attempts'")
                     .getInt64();
  std::vector<bool> cached = cached_pages(db);
  ASSERT_GE(cached.size(), static_cast<size_t>(root));
  EXPECT_TRUE(cached[static_cast<size_t>(root - 1)]);
  size_t resident = static_cast<size_t>(std::count(cached.begin(), cached.end(), true));
  EXPECT_LT(resident, cached.size() / 4) << resident << " of " << cached.size() << " cached";
  log->reset();
  fs::remove_all(*dir);
}
