// The audit log only grows, and its records are rarely read again: once a checkpoint has
// copied and synced them into the database file, their pages leave the OS page cache
// (SqliteDecisionLog::after_commit). Without that a busy service kept gigabytes of its log cached,
// and its commits slowed down as the cache grew.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "store/sqlite/decision_log.h"

namespace fs = std::filesystem;
using kyc::store::sqlite::SqliteDecisionLog;
using Commit = kyc::store::DecisionLog::Commit;

namespace {

// Pages of the file at `path` in the page cache, and all its pages.
std::pair<size_t, size_t> resident_pages(const fs::path& path) {
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
  size_t resident = 0;
  for (unsigned char c : in_core) resident += c & 1;
  return {resident, pages};
}

}  // namespace

TEST(SqliteDecisionLog, CheckpointedPagesLeaveThePageCache) {
  char tmpl[] = "/tmp/kycd-audit-cache-XXXXXX";
  fs::path dir = mkdtemp(tmpl);
  struct statfs fs_info {};
  ::statfs(dir.c_str(), &fs_info);
  if (fs_info.f_type == TMPFS_MAGIC) {
    fs::remove_all(dir);
    GTEST_SKIP() << "on tmpfs the page cache is the storage itself";
  }
  fs::path db = dir / "audit.db";
  {
    kyc::store::sqlite::AuditOptions options;
    options.checkpoint_pages = 50;  // a checkpoint every ~200 KiB of WAL
    auto log = SqliteDecisionLog::open(db.string(), options);
    ASSERT_TRUE(log) << log.error().message;
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
      (*log)->append(std::move(r), [](Commit) {});
    }
  }  // commits what is queued, then closes
  auto [resident, pages] = resident_pages(db);
  EXPECT_GT(pages, 1500u);  // about 12 MiB of records were written
  EXPECT_LT(resident, pages / 4) << resident << " of " << pages << " pages still cached";
  fs::remove_all(dir);
}
