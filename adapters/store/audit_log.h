// The audit log: every decision, durable before it is answered, chained by SHA-256 so that an
// edited, removed, reordered or inserted record is detected. SQLite (WAL, synchronous=FULL);
// one writer thread commits queued records in batches (group commit).
#pragma once

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace kyc::store {

struct AuditOptions {
  size_t batch_max = 512;  // records in one transaction at most
  // Extra wait for more records before a batch commits. 0 by default: records that arrive
  // while a commit is syncing already form the next batch; waiting on top only adds latency.
  std::chrono::microseconds max_wait{0};
  std::chrono::milliseconds busy_timeout{5000};  // wait for a lock before a write fails
  // WAL pages (4 KiB each) after which a commit copies the WAL into the database file
  // (SQLite's own default). The copied pages are then dropped from the OS page cache.
  int checkpoint_pages = 1000;
};

struct AuditRecord {
  std::string decision_id;
  std::string time;           // RFC 3339, UTC: when the decision was made
  std::string account_id;     // "" when the request named none
  std::string stage;          // "evaluate"; "verification" for image submissions
  std::string facts;          // JSON: the facts as evaluated (after adapters), dotted names
  std::string today;          // the clock's date used as `today`
  std::string policy_sha256;  // the policy text is stored once under this key
  std::shared_ptr<const std::string> policy_text;
  std::string decision;  // the decision JSON exactly as answered

  // Account-store changes committed in the same transaction as the record.
  struct DocumentLink {
    std::string document_hash;        // keyed hash of the document number (never the number)
    int64_t other_accounts_seen = 0;  // what the decision read as account.document_accounts
  };
  std::optional<DocumentLink> link;  // an approve links the document to account_id
  bool failed_attempt = false;       // counts towards the account's failed attempts

  // A request sent with an Idempotency-Key: the key is kept with the decision it made, so a
  // retry gets that decision back instead of a second one (and a second attempt).
  struct Idempotency {
    std::string scope;           // SHA-256 of the caller's token and the key (neither kept)
    std::string request_sha256;  // of the route and the body: the same key for another request
  };
  std::optional<Idempotency> idempotency;
};

// What a key remembers, for 24 hours.
struct IdempotentDecision {
  std::string request_sha256;
  std::string decision_id;
};

struct StoredRecord {
  int64_t seq = 0;
  AuditRecord record;  // policy_text left null: read it with AuditLog::policy_text
  std::string prev_hash;
  std::string hash;
};

// The bytes a record's hash covers (netstrings of its fields in a fixed order), and the chain
// step: SHA-256(prev_hash || canonical).
std::string canonical_bytes(int64_t seq, const AuditRecord& r);
std::string chain_hash(const std::string& prev_hash, const std::string& canonical);
inline const std::string kGenesisHash(64, '0');

class AuditLog {
 public:
  // Opens or creates the log; nullptr with a sentence in `error` when it cannot.
  static std::unique_ptr<AuditLog> open(const std::string& path, const AuditOptions& options,
                                        std::string& error);
  // For readers (verify, export, replay): no writer thread, no schema changes; append() fails.
  static std::unique_ptr<AuditLog> open_read_only(const std::string& path, std::string& error);
  ~AuditLog();  // commits what is queued, then stops the writer

  // Queues a record; `done` runs once its batch is committed (see deliver_results_with):
  // Committed, Failed (disk full, read-only, locked), Conflict (the document gained another
  // account after the decision read its links: the decision is stale and was not recorded;
  // decide again), or Repeated (its idempotency key was recorded by another decision
  // meanwhile: not recorded; answer with that one).
  enum class Commit { Committed, Failed, Conflict, Repeated };
  using Done = std::function<void(Commit)>;
  void append(AuditRecord record, Done done);

  // Where a committed batch's `done` callbacks run. Unset, on the writer thread. A server
  // hands each batch to its io thread in one go: the writer starts the next commit at once,
  // and the io thread is woken once per batch and frees the records it allocated. Resetting
  // it (empty) returns only when no batch is being handed over.
  using Deliver = std::function<void(std::function<void()>)>;
  void deliver_results_with(Deliver deliver);

  std::optional<StoredRecord> find(const std::string& decision_id);
  // Records in sequence order with from <= time < to ("" = unbounded); stop by returning false.
  void scan(const std::string& from, const std::string& to,
            const std::function<bool(const StoredRecord&)>& visit);
  // One account's records after sequence number `after`, oldest first, at most `limit`.
  std::vector<StoredRecord> account_records(const std::string& account_id, int64_t after,
                                            size_t limit);
  std::optional<std::string> policy_text(const std::string& sha256);
  int64_t count();
  // Account-store reads.
  int64_t other_accounts(const std::string& document_hash, const std::string& account_id);
  int64_t failed_attempts(const std::string& account_id);
  // The decision an idempotency key made within the last 24 hours, if any.
  std::optional<IdempotentDecision> idempotent(const std::string& scope);

 private:
  AuditLog(const std::string& path, const AuditOptions& options, bool read_only);
  void writer_loop();
  // The writer's WAL hook: checkpoints past options_.checkpoint_pages.
  static int after_commit(void* log, sqlite3* db, const char* name, int wal_pages);
  bool hand_over(std::function<void()>& finish);  // false: no deliverer, run it here
  // Commits the batch; per record, Committed or Conflict (Failed for all when it throws).
  bool commit(std::deque<std::pair<AuditRecord, Done>>& batch, std::vector<Commit>& results);

  struct WriterStatements;

  AuditOptions options_;
  SQLite::Database writer_db_;
  std::unique_ptr<WriterStatements> statements_;  // writer thread only
  std::recursive_mutex reader_mutex_;  // recursive: a scan visitor may look up a policy text
  SQLite::Database reader_db_;
  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::deque<std::pair<AuditRecord, Done>> queue_;
  std::mutex deliver_mutex_;
  Deliver deliver_;
  bool stopping_ = false;
  int64_t last_seq_ = 0;
  std::string last_hash_ = kGenesisHash;
  bool read_only_ = false;
  int db_fd_ = -1;  // the database file, to drop its checkpointed pages from the page cache
  std::set<std::string> stored_policies_;  // writer thread only: texts already in the log
  std::thread writer_;
};

// Recomputes the chain of the log at `path`: ok, or the first broken record and why.
struct ChainCheck {
  bool ok = true;
  int64_t records = 0;
  int64_t broken_seq = 0;
  std::string broken_decision_id;
  std::string problem;
};
// `progress`, when set, is called after each record with the records checked and the total
// (counted first, for a progress line: checking a large log takes minutes).
using ChainProgress = std::function<void(int64_t checked, int64_t total)>;
ChainCheck verify_chain(const std::string& path, const ChainProgress& progress = {});

}  // namespace kyc::store
