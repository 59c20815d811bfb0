#include "adapters/store/account_store.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <SQLiteCpp/VariadicBind.h>

namespace kyc::store {

std::unique_ptr<AccountStore> AccountStore::open(const std::string& path,
                                                 std::chrono::milliseconds busy_timeout,
                                                 std::string& error) {
  try {
    std::unique_ptr<AccountStore> s(new AccountStore(path));
    s->db_.setBusyTimeout(static_cast<int>(busy_timeout.count()));
    s->db_.exec("PRAGMA journal_mode=WAL");
    s->db_.exec("PRAGMA synchronous=FULL");
    s->db_.exec(R"(CREATE TABLE IF NOT EXISTS accounts (
      account_id TEXT PRIMARY KEY,
      full_name TEXT NOT NULL,
      birth_date TEXT NOT NULL,
      country TEXT NOT NULL,
      document_type TEXT NOT NULL,
      document_hash TEXT NOT NULL,
      updated_at TEXT NOT NULL))");
    return s;
  } catch (const std::exception& e) {
    error = "cannot open the account store " + path + ": " + e.what();
    return nullptr;
  }
}

namespace {

constexpr const char* kUpsert = R"(INSERT INTO accounts
      (account_id, full_name, birth_date, country, document_type, document_hash, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(account_id) DO UPDATE SET full_name = excluded.full_name, birth_date = excluded.birth_date,
        country = excluded.country, document_type = excluded.document_type,
        document_hash = excluded.document_hash, updated_at = excluded.updated_at)";

}  // namespace

bool AccountStore::set_primary(const PrimaryData& d, const std::string& now, std::string& error) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement q(db_, kUpsert);
    SQLite::bind(q, d.account_id, d.full_name, d.birth_date, d.country, d.document_type,
                 d.document_hash, now);
    q.exec();
    return true;
  } catch (const std::exception& e) {
    error = e.what();
    return false;
  }
}

bool AccountStore::set_primary_batch(const std::vector<PrimaryData>& batch, const std::string& now,
                                     std::string& error) {
  std::lock_guard lock(mutex_);
  try {
    // IMMEDIATE: the write lock is taken (waiting up to the busy timeout) before the first row,
    // not upgraded from a read halfway through the batch.
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement q(db_, kUpsert);
    for (const PrimaryData& d : batch) {
      SQLite::bind(q, d.account_id, d.full_name, d.birth_date, d.country, d.document_type,
                   d.document_hash, now);
      q.exec();
      q.reset();
    }
    tx.commit();
    return true;
  } catch (const std::exception& e) {
    error = e.what();  // the transaction's destructor rolled the whole batch back
    return false;
  }
}

std::optional<PrimaryData> AccountStore::primary(const std::string& account_id) {
  std::lock_guard lock(mutex_);
  SQLite::Statement q(
      db_,
      "SELECT full_name, birth_date, country, document_type, document_hash FROM accounts "
      "WHERE account_id = ?");
  q.bind(1, account_id);
  if (!q.executeStep()) return std::nullopt;
  return PrimaryData{account_id,
                     q.getColumn(0).getString(),
                     q.getColumn(1).getString(),
                     q.getColumn(2).getString(),
                     q.getColumn(3).getString(),
                     q.getColumn(4).getString()};
}

}  // namespace kyc::store
