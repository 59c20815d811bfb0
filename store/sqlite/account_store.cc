#include "store/sqlite/account_store.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <SQLiteCpp/VariadicBind.h>

#include "store/sqlite/chained_tables.h"
#include "store/sqlite/library.h"
#include "store/sqlite/schema.h"

namespace kyc::store::sqlite {

namespace {

constexpr const char* kAccounts = R"(
CREATE TABLE IF NOT EXISTS accounts (
  account_id TEXT PRIMARY KEY,
  full_name TEXT NOT NULL,
  birth_date TEXT NOT NULL,
  country TEXT NOT NULL,
  document_type TEXT NOT NULL,
  document_hash TEXT NOT NULL,
  updated_at TEXT NOT NULL);
)";

constexpr const char* kUpsert = R"(INSERT INTO accounts
      (account_id, full_name, birth_date, country, document_type, document_hash, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(account_id) DO UPDATE SET full_name = excluded.full_name, birth_date = excluded.birth_date,
        country = excluded.country, document_type = excluded.document_type,
        document_hash = excluded.document_hash, updated_at = excluded.updated_at)";

// What a decision reads about account ?1 and document ?2, as one statement: one read
// transaction (so one snapshot of what the log's writer committed) and one step instead of
// three. Without a document (?2 NULL) the count is 0. bench/README.md has the measurement.
constexpr const char* kReadForDecision = R"(SELECT a.full_name, a.birth_date, a.country,
      a.document_type, a.document_hash,
      (SELECT failed FROM attempts WHERE account_id = ?1),
      (SELECT COUNT(*) FROM document_links WHERE document_hash = ?2 AND account_id != ?1)
    FROM (SELECT 1) LEFT JOIN accounts a ON a.account_id = ?1)";

}  // namespace

Result<std::unique_ptr<SqliteAccountStore>> SqliteAccountStore::open(
    const std::string& path, std::chrono::milliseconds busy_timeout, const ChainKey* key) {
  configure_library();
  try {
    std::unique_ptr<SqliteAccountStore> s(new SqliteAccountStore(path));
    s->db_.setBusyTimeout(static_cast<int>(busy_timeout.count()));
    s->db_.exec("PRAGMA journal_mode=WAL");
    s->db_.exec("PRAGMA synchronous=FULL");
    s->db_.exec(kAccounts);
    s->db_.exec(kAccountTables);
    ChainScheme scheme = read_chain_scheme(s->db_);
    if (!key && scheme.keyed_from)
      return common::fail("the audit log " + path + " is chained with chain key " + scheme.key_id +
                          ": account changes need it (--chain-key FILE)");
    if (key) {
      if (scheme.keyed_from && scheme.key_id != key->id())
        return common::fail("the audit log " + path + " is chained with chain key " +
                            scheme.key_id + ", not with the key given (" + key->id() + ")");
      // A log not keyed yet (an import before the service's first start) is keyed by the
      // service, whose first keyed record states every row as it then is.
      if (scheme.keyed_from) s->key_ = *key;
    }
    return s;
  } catch (const std::exception& e) {
    return common::fail("cannot open the account store " + path + ": " + e.what());
  }
}

// One connection, one caller at a time; a SQLite error ends here as an Error, and the kept
// statements are reset so that the next call starts clean.
template <typename Use>
auto SqliteAccountStore::locked(const char* what, Use use) -> Result<decltype(use())> {
  std::lock_guard lock(mutex_);
  auto result = as_result(what, use);
  if (!result)
    for (auto* kept : {&primary_, &others_, &failed_, &reading_})
      if (*kept) (*kept)->tryReset();
  return result;
}

SQLite::Statement& SqliteAccountStore::prepared(std::unique_ptr<SQLite::Statement>& slot,
                                                const char* sql) {
  if (!slot) slot = std::make_unique<SQLite::Statement>(db_, sql);
  return *slot;
}

Result<void> SqliteAccountStore::set_primary(const PrimaryData& d, const std::string& now) {
  return locked("cannot write the account", [&] { write_primary({d}, now); });
}

void SqliteAccountStore::write_primary(const std::vector<PrimaryData>& batch,
                                       const std::string& now) {
  // IMMEDIATE: the write lock is taken (waiting up to the busy timeout) before the first
  // row, not upgraded from a read halfway through the batch. On an error the transaction's
  // destructor rolls the whole batch back.
  SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
  SQLite::Statement q(db_, kUpsert);
  std::vector<RowState> rows;
  for (const PrimaryData& d : batch) {
    SQLite::bind(q, d.account_id, d.full_name, d.birth_date, d.country, d.document_type,
                 d.document_hash, now);
    q.exec();
    q.reset();
    if (key_)
      rows.push_back(account_row(*key_, d.account_id, d.full_name, d.birth_date, d.country,
                                 d.document_type, d.document_hash, now));
  }
  if (key_ && !rows.empty()) {
    AuditRecord r = account_change_record(rows, now);
    append_chain_record(db_, *key_, r);
  }
  tx.commit();
}

Result<void> SqliteAccountStore::set_primary_batch(const std::vector<PrimaryData>& batch,
                                                   const std::string& now) {
  return locked("cannot write the accounts", [&] { write_primary(batch, now); });
}

Result<std::optional<PrimaryData>> SqliteAccountStore::primary(const std::string& account_id) {
  return locked("cannot read the account", [&]() -> std::optional<PrimaryData> {
    SQLite::Statement& q = prepared(
        primary_,
        "SELECT full_name, birth_date, country, document_type, document_hash FROM accounts "
        "WHERE account_id = ?");
    q.bind(1, account_id);
    std::optional<PrimaryData> found;
    if (q.executeStep())
      found = PrimaryData{account_id,
                          q.getColumn(0).getString(),
                          q.getColumn(1).getString(),
                          q.getColumn(2).getString(),
                          q.getColumn(3).getString(),
                          q.getColumn(4).getString()};
    q.reset();
    return found;
  });
}

Result<int64_t> SqliteAccountStore::other_accounts(const std::string& document_hash,
                                                   const std::string& account_id) {
  return locked("cannot read the document's accounts", [&] {
    SQLite::Statement& q = prepared(others_, kCountOtherAccounts);
    q.bind(1, document_hash);
    q.bind(2, account_id);
    q.executeStep();
    int64_t n = q.getColumn(0).getInt64();
    q.reset();
    return n;
  });
}

Result<int64_t> SqliteAccountStore::failed_attempts(const std::string& account_id) {
  return locked("cannot read the account's attempts", [&] {
    SQLite::Statement& q = prepared(failed_, "SELECT failed FROM attempts WHERE account_id = ?");
    q.bind(1, account_id);
    int64_t n = q.executeStep() ? q.getColumn(0).getInt64() : int64_t{0};
    q.reset();
    return n;
  });
}

Result<AccountReading> SqliteAccountStore::read_for_decision(
    const std::string& account_id, const std::optional<std::string>& document_hash) {
  return locked("cannot read the account", [&] {
    SQLite::Statement& q = prepared(reading_, kReadForDecision);
    q.bind(1, account_id);
    if (document_hash)
      q.bind(2, *document_hash);
    else
      q.bind(2);  // NULL
    q.executeStep();
    AccountReading r;
    if (!q.getColumn(0).isNull())
      r.primary = PrimaryData{account_id,
                              q.getColumn(0).getString(),
                              q.getColumn(1).getString(),
                              q.getColumn(2).getString(),
                              q.getColumn(3).getString(),
                              q.getColumn(4).getString()};
    r.failed_attempts = q.getColumn(5).getInt64();  // NULL (no attempts yet) reads as 0
    r.other_accounts = q.getColumn(6).getInt64();
    q.reset();
    return r;
  });
}

}  // namespace kyc::store::sqlite
