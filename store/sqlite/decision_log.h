// The decision log in SQLite (WAL, synchronous=FULL): one writer thread commits queued records
// in batches (group commit), with their document links and attempts in the same transaction.
// Opened with a chain key, every record from the log's kChainSchemeStage record on is linked
// with it, and states the account-table rows it wrote (chained_tables.h).
#pragma once

#include <SQLiteCpp/Database.h>
#include <sys/types.h>

#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "store/chain.h"
#include "store/decision_log.h"
#include "store/group_commit.h"
#include "store/sqlite/options.h"

namespace kyc::store::sqlite {

class SqliteDecisionLog final : public DecisionLog {
 public:
  // Opens or creates the log. With a chain key, a log not yet keyed becomes keyed from its
  // next record on; a log keyed with another key is an error.
  static Result<std::unique_ptr<SqliteDecisionLog>> open(const std::string& path,
                                                         const AuditOptions& options,
                                                         const ChainKey* key = nullptr);
  // For readers (verify, export, replay): no writer thread, no schema changes; append() fails.
  static Result<std::unique_ptr<SqliteDecisionLog>> open_read_only(const std::string& path);
  ~SqliteDecisionLog() override;  // commits what is queued, then stops the writer

  void append(AuditRecord record, Done done) override;
  void deliver_results_with(Deliver deliver) override;
  Result<std::optional<StoredRecord>> get(const std::string& decision_id) override;
  Result<void> range(const std::string& from, const std::string& to, const Visit& visit) override;
  Result<std::vector<std::string>> idle_accounts(const std::string& cutoff,
                                                 const std::string& after, size_t limit) override;
  Result<std::vector<std::string>> days_without_account(const std::string& cutoff) override;
  Result<std::vector<StoredRecord>> account_records(const std::string& account_id, int64_t after,
                                                    size_t limit) override;
  Result<std::optional<std::string>> policy_text(const std::string& sha256) override;
  Result<std::vector<PolicyFile>> policy_files(const std::string& sha256) override;
  Result<int64_t> count() override;
  Result<std::vector<StoredRecord>> activations() override;
  Result<std::vector<DecisionRow>> search(const DecisionQuery& query) override;
  Result<std::vector<BucketCount>> counts(const std::string& from, const std::string& to,
                                          Bucket bucket) override;
  Result<std::optional<IdempotentDecision>> idempotent(const std::string& scope) override;
  Result<ChainHead> head() override;
  Result<ChainScheme> chain_scheme() override;
  Result<void> chained_rows(const ChainKey& key, const RowVisit& visit) override;

 private:
  SqliteDecisionLog(const std::string& path, const AuditOptions& options, bool read_only);
  // The writer's WAL hook: checkpoints past options_.checkpoint_pages.
  static int after_commit(void* log, sqlite3* db, const char* name, int wal_pages);
  // Commits the batch; per record, Committed, Conflict or Repeated (false: it all failed).
  bool commit(GroupCommit::Batch& batch, std::vector<Commit>& results);

  template <typename Read>
  auto reading(Read read) -> Result<decltype(read())>;
  struct WriterStatements;

  AuditOptions options_;
  SQLite::Database writer_db_;
  std::unique_ptr<WriterStatements> statements_;  // writer thread only
  std::recursive_mutex reader_mutex_;  // recursive: a range visitor may look up a policy text
  SQLite::Database reader_db_;
  // Keyed links from the writer's records on; null: a plain chain (tests of old logs).
  std::optional<ChainKey> key_;
  std::string columns_;  // what reads select: an old log read as it is has no effects column
  bool read_only_ = false;
  int db_fd_ = -1;  // the database file, to drop its checkpointed pages from the page cache
  // Writer thread only: the file's size at the last checkpoint, and the offset up to which
  // the pages appended before that were let go (after_commit says why one checkpoint late).
  off_t size_at_checkpoint_ = 0;
  off_t released_up_to_ = 0;
  std::set<std::string> stored_policies_;  // writer thread only: texts already in the log
  std::unique_ptr<GroupCommit> writer_;    // null for a reader
};

}  // namespace kyc::store::sqlite
