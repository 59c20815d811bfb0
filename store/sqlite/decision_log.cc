#include "store/sqlite/decision_log.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "store/sqlite/chained_tables.h"
#include "store/sqlite/decision_search.h"
#include "store/sqlite/library.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/search_index.h"
#include "store/sqlite/wal_write_buffer.h"

namespace kyc::store::sqlite {

namespace {

const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS policies (
  sha256 TEXT PRIMARY KEY,
  text TEXT NOT NULL,
  first_used TEXT NOT NULL);
-- The lists and tables a policy read (list(...), table(...)): its files by path, each content
-- kept once under its hash. The policy's sha256 covers them (dsl/policy_files.h).
CREATE TABLE IF NOT EXISTS policy_files (
  policy_sha256 TEXT NOT NULL,
  path TEXT NOT NULL,
  file_sha256 TEXT NOT NULL,
  PRIMARY KEY (policy_sha256, path));
CREATE TABLE IF NOT EXISTS file_contents (
  sha256 TEXT PRIMARY KEY,
  content TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS decisions (
  seq INTEGER PRIMARY KEY,
  decision_id TEXT NOT NULL UNIQUE,
  time TEXT NOT NULL,
  account_id TEXT NOT NULL,
  stage TEXT NOT NULL,
  -- The decision's summary for search (search_index.h), NULL for an activation. Not chained.
  -- A log made before these has them added at the end of the row.
  outcome TEXT,
  reasons TEXT,
  undetermined TEXT,
  missing TEXT,
  policy_version TEXT,
  facts TEXT NOT NULL,
  today TEXT NOT NULL,
  policy_sha256 TEXT NOT NULL,
  decision TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  -- The account-table rows the record wrote, keyed digests (store/chain.h); chained. A log
  -- made before keyed chains has it added at the end of the row.
  effects TEXT);
CREATE INDEX IF NOT EXISTS decisions_account ON decisions(account_id, seq);
-- Policy activations: a partial index, which a decision's insert does not touch.
CREATE INDEX IF NOT EXISTS decisions_activations ON decisions(seq) WHERE stage = 'activation';
-- No index on time: every read by time walks the records in seq order anyway (replay,
-- export), and an index no query uses costs each insert a B-tree write. Logs made before
-- this drop theirs.
DROP INDEX IF EXISTS decisions_time;
-- Idempotency-Key: the decision a key made. Kept 24 hours; not part of the chain (the
-- decision itself is).
CREATE TABLE IF NOT EXISTS idempotency_keys (
  scope TEXT PRIMARY KEY,
  request_sha256 TEXT NOT NULL,
  decision_id TEXT NOT NULL,
  created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS idempotency_keys_created ON idempotency_keys(created_at);
)";

// RFC 3339 in the same form as the records' times, 24 hours ago: a key older than that is
// forgotten.
constexpr const char* kKeyWindowStart = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-24 hours')";

StoredRecord read_row(SQLite::Statement& q) {
  StoredRecord s;
  s.seq = q.getColumn(0).getInt64();
  s.record.decision_id = q.getColumn(1).getString();
  s.record.time = q.getColumn(2).getString();
  s.record.account_id = q.getColumn(3).getString();
  s.record.stage = q.getColumn(4).getString();
  s.record.facts = q.getColumn(5).getString();
  s.record.today = q.getColumn(6).getString();
  s.record.policy_sha256 = q.getColumn(7).getString();
  s.record.decision = q.getColumn(8).getString();
  s.prev_hash = q.getColumn(9).getString();
  s.hash = q.getColumn(10).getString();
  s.record.effects = q.getColumn(11).getString();
  return s;
}

constexpr const char* kColumns =
    "seq, decision_id, time, account_id, stage, facts, today, policy_sha256, decision, prev_hash, "
    "hash";

bool has_effects_column(SQLite::Database& db) {
  SQLite::Statement q(db, "SELECT 1 FROM pragma_table_info('decisions') WHERE name = 'effects'");
  return q.executeStep();
}

}  // namespace

// Prepared once: the writer runs them for every record of every batch.
struct SqliteDecisionLog::WriterStatements {
  explicit WriterStatements(SQLite::Database& db)
      : others(db,
               "SELECT COUNT(*) FROM document_links WHERE document_hash = ? AND account_id != ?"),
        link(db,
             "INSERT OR IGNORE INTO document_links (document_hash, account_id, decision_id, "
             "linked_at) VALUES (?, ?, ?, ?)"),
        attempt(db,
                "INSERT INTO attempts (account_id, total, failed) VALUES (?, 1, ?) ON "
                "CONFLICT(account_id) DO UPDATE SET total = total + 1, failed = failed + "
                "excluded.failed RETURNING total, failed"),
        // Read in the transaction: the account store appends account changes to the same
        // chain from its own connection (and `kyc accounts import` from another process).
        head(db, "SELECT seq, hash FROM decisions ORDER BY seq DESC LIMIT 1"),
        policy(db, "INSERT OR IGNORE INTO policies (sha256, text, first_used) VALUES (?, ?, ?)"),
        policy_file(db,
                    "INSERT OR IGNORE INTO policy_files (policy_sha256, path, file_sha256) VALUES "
                    "(?, ?, ?)"),
        file_content(db, "INSERT OR IGNORE INTO file_contents (sha256, content) VALUES (?, ?)"),
        prior(db, std::string("SELECT 1 FROM idempotency_keys WHERE scope = ? AND created_at >= ") +
                      kKeyWindowStart),
        remember(db,
                 "INSERT OR REPLACE INTO idempotency_keys (scope, request_sha256, decision_id, "
                 "created_at) VALUES (?, ?, ?, ?)"),
        forget(db,
               std::string("DELETE FROM idempotency_keys WHERE created_at < ") + kKeyWindowStart),
        insert(db, std::string("INSERT INTO decisions (") + kColumns + ", " + kSummaryColumns +
                       ", effects) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        search(db) {}
  SQLite::Statement others, link, attempt, head, policy, policy_file, file_content, prior, remember,
      forget, insert;
  SearchIndexWriter search;
  int64_t batches = 0;  // expired keys are deleted every kForgetEvery batches
};

SqliteDecisionLog::SqliteDecisionLog(const std::string& path, const AuditOptions& options,
                                     bool read_only)
    : options_(options),
      // The writer connection belongs to the writer thread alone: no SQLite mutex.
      // Its WAL writes are gathered into one per commit (wal_write_buffer.h).
      writer_db_(path,
                 read_only ? SQLite::OPEN_READONLY
                           : SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX,
                 static_cast<int>(options.busy_timeout.count()),
                 read_only ? "" : wal_write_buffer_vfs()),
      // Both wait from their first statement on: two stores opening a new folder at once
      // take turns at making its tables.
      reader_db_(
          path, read_only ? SQLite::OPEN_READONLY : SQLite::OPEN_READWRITE | SQLite::OPEN_FULLMUTEX,
          static_cast<int>(options.busy_timeout.count())),
      read_only_(read_only) {
  columns_ = std::string(kColumns) + (has_effects_column(reader_db_) ? ", effects" : ", NULL");
}

Result<std::unique_ptr<SqliteDecisionLog>> SqliteDecisionLog::open_read_only(
    const std::string& path) {
  configure_library();
  try {
    return std::unique_ptr<SqliteDecisionLog>(new SqliteDecisionLog(path, {}, true));
  } catch (const std::exception& e) {
    return common::fail("cannot open the audit log " + path + ": " + e.what());
  }
}

Result<std::unique_ptr<SqliteDecisionLog>> SqliteDecisionLog::open(const std::string& path,
                                                                   const AuditOptions& options,
                                                                   const ChainKey* key) {
  configure_library();
  try {
    std::unique_ptr<SqliteDecisionLog> log(new SqliteDecisionLog(path, options, false));
    auto& db = log->writer_db_;
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA synchronous=FULL");
    db.setBusyTimeout(static_cast<int>(options.busy_timeout.count()));
    log->reader_db_.setBusyTimeout(static_cast<int>(options.busy_timeout.count()));
    db.exec(kSchema);
    db.exec(kAccountTables);
    db.exec(kChainMetaTable);
    if (!has_effects_column(db)) db.exec("ALTER TABLE decisions ADD COLUMN effects TEXT");
    log->columns_ = std::string(kColumns) + ", effects";
    prepare_search_index(db);
    if (key) {
      SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
      ChainScheme scheme = read_chain_scheme(db);
      if (scheme.keyed_from == 0) {
        start_keyed_chain(db, *key);
      } else if (scheme.key_id != key->id()) {
        return common::fail("the audit log " + path + " is chained with chain key " +
                            scheme.key_id + ", not with the key given (" + key->id() +
                            "): start with the log's own key (--chain-key FILE)");
      }
      tx.commit();
      log->key_ = *key;
    }
    log->statements_ = std::make_unique<WriterStatements>(db);
    log->db_fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    // What the file held before is left to the kernel: only what this writer appends is let go.
    struct stat st {};
    if (log->db_fd_ >= 0 && ::fstat(log->db_fd_, &st) == 0)
      log->size_at_checkpoint_ = log->released_up_to_ = st.st_size;
    sqlite3_wal_hook(db.getHandle(), &SqliteDecisionLog::after_commit, log.get());
    log->writer_ = std::make_unique<GroupCommit>(
        options, [l = log.get()](GroupCommit::Batch& batch, std::vector<Commit>& results) {
          return l->commit(batch, results);
        });
    return log;
  } catch (const std::exception& e) {
    return common::fail("cannot open the audit log " + path + ": " + e.what());
  }
}

SqliteDecisionLog::~SqliteDecisionLog() {
  writer_.reset();  // commits what is queued, while the database file is still open
  if (db_fd_ >= 0) ::close(db_fd_);
}

int SqliteDecisionLog::after_commit(void* self, sqlite3* db, const char* name, int wal_pages) {
  auto* log = static_cast<SqliteDecisionLog*>(self);
  if (wal_pages < log->options_.checkpoint_pages) return SQLITE_OK;
  // What SQLite's automatic checkpoint does, and then: the log only grows, and a record is
  // rarely read again once written, yet every page copied into the database file would stay
  // in the page cache. Caching gigabytes of it slowed the commits down (fresh memory for each
  // new page; bench/README.md, "Fifth tuning pass"), so the synced pages are let go.
  //
  // Only the pages appended to the file are, and one checkpoint late. Records are appended:
  // their pages grow the file and are cold once the tables' last leaves have moved past them,
  // which a checkpoint's worth of records does. A page rewritten in place is warm by that
  // very fact: the account tables every decision reads (attempts, links, accounts), the
  // indexes' inner pages. Letting the whole file go sent each decision's account read to the
  // disk after every checkpoint (bench/README.md, "The account path's pages").
  sqlite3_wal_checkpoint(db, name);
  struct stat st {};
  if (log->db_fd_ < 0 || ::fstat(log->db_fd_, &st) != 0) return SQLITE_OK;
  if (log->size_at_checkpoint_ > log->released_up_to_)
    posix_fadvise(log->db_fd_, log->released_up_to_,
                  log->size_at_checkpoint_ - log->released_up_to_, POSIX_FADV_DONTNEED);
  log->released_up_to_ = std::max(log->released_up_to_, log->size_at_checkpoint_);
  log->size_at_checkpoint_ = st.st_size;
  return SQLITE_OK;
}

void SqliteDecisionLog::append(AuditRecord record, Done done) {
  if (read_only_) return done(Commit::Failed);
  writer_->append(std::move(record), std::move(done));
}

void SqliteDecisionLog::deliver_results_with(Deliver deliver) {
  if (writer_) writer_->deliver_results_with(std::move(deliver));
}

bool SqliteDecisionLog::commit(GroupCommit::Batch& batch, std::vector<Commit>& results) {
  int64_t seq = 0;
  std::string hash = kGenesisHash;
  results.assign(batch.size(), Commit::Committed);
  try {
    SQLite::Transaction tx(writer_db_, SQLite::TransactionBehavior::IMMEDIATE);
    WriterStatements& w = *statements_;
    auto& [others, link, attempt, head, policy, policy_file, file_content, prior, remember, forget,
           insert, search, batches] = w;
    if (head.executeStep()) {
      seq = head.getColumn(0).getInt64();
      hash = head.getColumn(1).getString();
    }
    head.reset();
    std::vector<RowState> effects;
    for (size_t i = 0; i < batch.size(); ++i) {
      AuditRecord& r = batch[i].first;
      effects.clear();
      if (r.idempotency) {
        // Checked inside the transaction, after the keys of earlier records of this batch:
        // two requests with one key in flight at once record one decision, not two.
        prior.bind(1, r.idempotency->scope);
        bool repeated = prior.executeStep();
        prior.reset();
        if (repeated) {
          results[i] = Commit::Repeated;
          continue;
        }
      }
      if (r.link) {
        // Checked inside the transaction, after the links of earlier records of this batch:
        // two approvals of one document can never both pass the account limit.
        others.bind(1, r.link->document_hash);
        others.bind(2, r.account_id);
        others.executeStep();
        int64_t now = others.getColumn(0).getInt64();
        others.reset();
        if (now != r.link->other_accounts_seen) {
          results[i] = Commit::Conflict;
          continue;
        }
        link.bind(1, r.link->document_hash);
        link.bind(2, r.account_id);
        link.bind(3, r.decision_id);
        link.bind(4, r.time);
        int linked = link.exec();
        link.reset();
        if (linked && key_)
          effects.push_back(
              link_row(*key_, r.link->document_hash, r.account_id, r.decision_id, r.time));
      }
      if (!r.account_id.empty()) {
        attempt.bind(1, r.account_id);
        attempt.bind(2, r.failed_attempt ? 1 : 0);
        attempt.executeStep();
        if (key_)
          effects.push_back(attempts_row(*key_, r.account_id, attempt.getColumn(0).getInt64(),
                                         attempt.getColumn(1).getInt64()));
        attempt.reset();
      }
      // A policy text is written once; the set saves binding it again for every decision.
      if (r.policy_text && !stored_policies_.count(r.policy_sha256)) {
        policy.bind(1, r.policy_sha256);
        policy.bind(2, *r.policy_text);
        policy.bind(3, r.time);
        policy.exec();
        policy.reset();
        if (r.policy_files)
          for (const auto& f : *r.policy_files) {
            policy_file.bind(1, r.policy_sha256);
            policy_file.bind(2, f.path);
            policy_file.bind(3, f.sha256);
            policy_file.exec();
            policy_file.reset();
            file_content.bind(1, f.sha256);
            file_content.bind(2, f.content);
            file_content.exec();
            file_content.reset();
          }
      }
      ++seq;
      std::string prev = hash;
      if (key_) {
        r.effects = effects_json(effects);
        hash = keyed_link(*key_, prev, seq, r);
      } else {
        hash = chain_hash(prev, canonical_bytes(seq, r));
      }
      // Bound without a copy: the strings outlive the step, and the facts and the decision
      // are most of the bytes the writer moves.
      insert.bind(1, seq);
      int column = 2;
      for (const std::string* f : {&r.decision_id, &r.time, &r.account_id, &r.stage, &r.facts,
                                   &r.today, &r.policy_sha256, &r.decision, &prev, &hash})
        insert.bindNoCopy(column++, *f);
      DecisionSummary summary = summary_of(r);
      bind_summary(insert, column, summary);
      if (r.effects.empty())
        insert.bind(column + 5);  // NULL
      else
        insert.bindNoCopy(column + 5, r.effects);
      insert.exec();
      insert.reset();
      search.add(seq, r.time, summary);
      if (r.idempotency) {
        remember.bind(1, r.idempotency->scope);
        remember.bind(2, r.idempotency->request_sha256);
        remember.bind(3, r.decision_id);
        remember.bind(4, r.time);
        remember.exec();
        remember.reset();
      }
    }
    constexpr int64_t kForgetEvery = 4096;
    if (++batches % kForgetEvery == 0) {
      forget.exec();
      forget.reset();
    }
    search.flush();
    tx.commit();
    for (size_t i = 0; i < batch.size(); ++i)
      if (results[i] == Commit::Committed && batch[i].first.policy_text)
        stored_policies_.insert(batch[i].first.policy_sha256);
  } catch (const std::exception&) {
    // The transaction rolled back; the chain head is unchanged. A statement that failed
    // mid-step must be reset before the next batch can use it.
    auto& [others, link, attempt, head, policy, policy_file, file_content, prior, remember, forget,
           insert, search, batches] = *statements_;
    search.discard();
    search.reset_statements();
    for (SQLite::Statement* st : {&others, &link, &attempt, &head, &policy, &policy_file,
                                  &file_content, &prior, &remember, &forget, &insert}) {
      st->tryReset();
      st->clearBindings();
    }
    return false;
  }
  return true;
}

// Reads run under the reader mutex; a SQLite error (a locked, corrupt or vanished file) ends
// here as an Error, never as an exception past the store.
template <typename Read>
auto SqliteDecisionLog::reading(Read read) -> Result<decltype(read())> {
  std::lock_guard lock(reader_mutex_);
  return as_result("cannot read the audit log", read);
}

Result<std::optional<IdempotentDecision>> SqliteDecisionLog::idempotent(const std::string& scope) {
  return reading([&]() -> std::optional<IdempotentDecision> {
    SQLite::Statement q(reader_db_,
                        std::string("SELECT request_sha256, decision_id FROM idempotency_keys "
                                    "WHERE scope = ? AND created_at >= ") +
                            kKeyWindowStart);
    q.bind(1, scope);
    if (!q.executeStep()) return std::nullopt;
    return IdempotentDecision{q.getColumn(0).getString(), q.getColumn(1).getString()};
  });
}

Result<std::optional<StoredRecord>> SqliteDecisionLog::get(const std::string& decision_id) {
  return reading([&]() -> std::optional<StoredRecord> {
    SQLite::Statement q(
        reader_db_, std::string("SELECT ") + columns_ + " FROM decisions WHERE decision_id = ?");
    q.bind(1, decision_id);
    if (!q.executeStep()) return std::nullopt;
    return read_row(q);
  });
}

Result<void> SqliteDecisionLog::range(const std::string& from, const std::string& to,
                                      const Visit& visit) {
  return reading([&] {
    SQLite::Statement q(
        reader_db_,
        std::string("SELECT ") + columns_ +
            " FROM decisions WHERE (? = '' OR time >= ?) AND (? = '' OR time < ?) ORDER BY seq");
    q.bind(1, from);
    q.bind(2, from);
    q.bind(3, to);
    q.bind(4, to);
    while (q.executeStep())
      if (!visit(read_row(q))) break;
  });
}

Result<std::vector<std::string>> SqliteDecisionLog::idle_accounts(const std::string& cutoff,
                                                                  const std::string& after,
                                                                  size_t limit) {
  // Walks the account index; an hourly sweep, not a request's path.
  return reading([&] {
    SQLite::Statement q(reader_db_,
                        "SELECT account_id FROM decisions WHERE account_id > ? "
                        "GROUP BY account_id HAVING max(time) < ? ORDER BY account_id LIMIT ?");
    q.bind(1, after);
    q.bind(2, cutoff);
    q.bind(3, static_cast<int64_t>(limit));
    std::vector<std::string> out;
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return out;
  });
}

Result<std::vector<std::string>> SqliteDecisionLog::days_without_account(
    const std::string& cutoff) {
  return reading([&] {
    SQLite::Statement q(reader_db_,
                        "SELECT DISTINCT substr(time, 1, 10) FROM decisions WHERE account_id = '' "
                        "AND stage NOT IN (?, ?, ?) AND substr(time, 1, 10) < substr(?, 1, 10) "
                        "ORDER BY 1");
    q.bind(1, kActivationStage);
    q.bind(2, kChainSchemeStage);
    q.bind(3, kAccountChangeStage);
    q.bind(4, cutoff);
    std::vector<std::string> out;
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return out;
  });
}

Result<std::vector<StoredRecord>> SqliteDecisionLog::account_records(const std::string& account_id,
                                                                     int64_t after, size_t limit) {
  return reading([&] {
    SQLite::Statement q(
        reader_db_, std::string("SELECT ") + columns_ +
                        " FROM decisions WHERE account_id = ? AND seq > ? ORDER BY seq LIMIT ?");
    q.bind(1, account_id);
    q.bind(2, after);
    q.bind(3, static_cast<int64_t>(limit));
    std::vector<StoredRecord> out;
    while (q.executeStep()) out.push_back(read_row(q));
    return out;
  });
}

Result<std::optional<std::string>> SqliteDecisionLog::policy_text(const std::string& sha256) {
  return reading([&]() -> std::optional<std::string> {
    SQLite::Statement q(reader_db_, "SELECT text FROM policies WHERE sha256 = ?");
    q.bind(1, sha256);
    if (!q.executeStep()) return std::nullopt;
    return q.getColumn(0).getString();
  });
}

Result<std::vector<PolicyFile>> SqliteDecisionLog::policy_files(const std::string& sha256) {
  return reading([&]() {
    std::vector<PolicyFile> out;
    if (!reader_db_.tableExists("policy_files")) return out;  // a log older than lists
    SQLite::Statement q(reader_db_,
                        "SELECT f.path, f.file_sha256, c.content FROM policy_files f JOIN "
                        "file_contents c ON c.sha256 = f.file_sha256 WHERE f.policy_sha256 = ? "
                        "ORDER BY f.path");
    q.bind(1, sha256);
    while (q.executeStep())
      out.push_back(
          {q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString()});
    return out;
  });
}

Result<std::vector<StoredRecord>> SqliteDecisionLog::activations() {
  return reading([&] {
    SQLite::Statement q(reader_db_, std::string("SELECT ") + columns_ +
                                        " FROM decisions WHERE stage = 'activation' ORDER BY seq");
    std::vector<StoredRecord> out;
    while (q.executeStep()) out.push_back(read_row(q));
    return out;
  });
}

Result<std::vector<DecisionRow>> SqliteDecisionLog::search(const DecisionQuery& query) {
  return reading([&] { return search_decisions(reader_db_, query); });
}

Result<std::vector<BucketCount>> SqliteDecisionLog::counts(const std::string& from,
                                                           const std::string& to, Bucket bucket) {
  return reading([&] { return count_decisions(reader_db_, from, to, bucket); });
}

Result<int64_t> SqliteDecisionLog::count() {
  return reading(
      [&] { return reader_db_.execAndGet("SELECT COUNT(*) FROM decisions").getInt64(); });
}

}  // namespace kyc::store::sqlite

namespace kyc::store::sqlite {

Result<ChainHead> SqliteDecisionLog::head() {
  return reading([&] {
    ChainHead h;
    SQLite::Statement q(reader_db_,
                        "SELECT seq, hash, time FROM decisions ORDER BY seq DESC LIMIT 1");
    if (q.executeStep()) {
      h.seq = q.getColumn(0).getInt64();
      h.link = q.getColumn(1).getString();
      h.time = q.getColumn(2).getString();
    }
    return h;
  });
}

Result<ChainScheme> SqliteDecisionLog::chain_scheme() {
  return reading([&] { return read_chain_scheme(reader_db_); });
}

Result<void> SqliteDecisionLog::chained_rows(const ChainKey& key, const RowVisit& visit) {
  return reading([&] { visit_chained_rows(reader_db_, key, visit); });
}

}  // namespace kyc::store::sqlite
