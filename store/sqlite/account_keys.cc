#include "store/sqlite/account_keys.h"

#include <SQLiteCpp/Transaction.h>

#include <vector>

#include "store/sqlite/library.h"

namespace kyc::store::sqlite {

namespace {

constexpr const char* kKeyTables = R"(
CREATE TABLE IF NOT EXISTS account_keys (
  account_id TEXT PRIMARY KEY,
  master_key_id TEXT NOT NULL,
  wrapped BLOB NOT NULL,
  created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS erased_accounts (
  account_digest TEXT PRIMARY KEY,
  erased_at TEXT NOT NULL);
)";

// Keeps erased-account digests apart from the document-number digests made with the same key.
constexpr const char* kErasedDomain = "kycd erased account\n";

void bind_blob(SQLite::Statement& q, int index, const std::string& bytes) {
  q.bind(index, bytes.data(), static_cast<int>(bytes.size()));
}

WrappedKey wrapped_from(SQLite::Statement& q, int first_column) {
  SQLite::Column blob = q.getColumn(first_column + 1);
  return WrappedKey{
      q.getColumn(first_column).getString(),
      std::string(static_cast<const char*>(blob.getBlob()), static_cast<size_t>(blob.getBytes()))};
}

}  // namespace

common::Result<std::unique_ptr<SqliteAccountKeys>> SqliteAccountKeys::open(
    const std::string& path, std::shared_ptr<const MasterKey> master, common::HmacSha256 erased_ids,
    std::chrono::milliseconds busy_timeout) {
  configure_library();
  try {
    std::unique_ptr<SqliteAccountKeys> s(
        new SqliteAccountKeys(path, std::move(master), std::move(erased_ids)));
    s->db_.setBusyTimeout(static_cast<int>(busy_timeout.count()));
    s->db_.exec("PRAGMA journal_mode=WAL");
    s->db_.exec("PRAGMA synchronous=FULL");
    // Erasing means the wrapped key's bytes are gone from the file, not merely unlinked from
    // the b-tree: SQLite otherwise leaves a deleted row's bytes in the page (and freed pages
    // as they were) until something happens to overwrite them. secure_delete zeroes them.
    // It is on for everything this connection writes, so that rewrap_all also leaves no copy
    // of a key wrapped under a retired master key. Debian's SQLite is built with it on by
    // default; SQLite's own default, and other builds', is off, hence the pragma.
    s->db_.exec("PRAGMA secure_delete=ON");
    s->db_.exec(kKeyTables);
    return s;
  } catch (const std::exception& e) {
    return common::fail("cannot open the account keys in " + path + ": " + e.what());
  }
}

// One connection, one caller at a time; a SQLite error ends here as an Error (an open
// transaction rolls back as it unwinds), and the kept statements are reset.
template <typename Use>
auto SqliteAccountKeys::locked(const char* what, Use use) -> decltype(use()) {
  std::lock_guard lock(mutex_);
  try {
    return use();
  } catch (const std::exception& e) {
    for (auto* kept : {&select_key_, &select_erased_})
      if (*kept) (*kept)->tryReset();
    return common::fail(std::string(what) + ": " + e.what());
  }
}

SQLite::Statement& SqliteAccountKeys::prepared(std::unique_ptr<SQLite::Statement>& slot,
                                               const char* sql) {
  if (!slot) slot = std::make_unique<SQLite::Statement>(db_, sql);
  return *slot;
}

std::string SqliteAccountKeys::erased_digest(const std::string& account_id) const {
  return erased_ids_.hex({kErasedDomain, account_id});
}

std::optional<WrappedKey> SqliteAccountKeys::stored_key(const std::string& account_id) {
  SQLite::Statement& q =
      prepared(select_key_, "SELECT master_key_id, wrapped FROM account_keys WHERE account_id = ?");
  q.bind(1, account_id);
  std::optional<WrappedKey> found;
  if (q.executeStep()) found = wrapped_from(q, 0);
  q.reset();
  return found;
}

std::optional<std::string> SqliteAccountKeys::erased_at(const std::string& account_id) {
  SQLite::Statement& q =
      prepared(select_erased_, "SELECT erased_at FROM erased_accounts WHERE account_digest = ?");
  q.bind(1, erased_digest(account_id));
  std::optional<std::string> at;
  if (q.executeStep()) at = q.getColumn(0).getString();
  q.reset();
  return at;
}

common::Result<common::SecretKey> SqliteAccountKeys::make_key(const std::string& account_id,
                                                              const std::string& now) {
  if (auto at = erased_at(account_id))
    return common::fail("account " + account_id + " was erased at " + *at +
                        ": its data key is destroyed, and no new one is made for it");
  if (auto found = stored_key(account_id))  // made meanwhile by another connection
    return master_->unwrap(*found, account_id);
  auto key = common::SecretKey::random();
  if (!key) return key.error();
  auto wrapped = master_->wrap(*key, account_id);
  if (!wrapped) return wrapped.error();
  SQLite::Statement insert(db_,
                           "INSERT INTO account_keys (account_id, master_key_id, wrapped, "
                           "created_at) VALUES (?, ?, ?, ?)");
  insert.bind(1, account_id);
  insert.bind(2, wrapped->master_key_id);
  bind_blob(insert, 3, wrapped->bytes);
  insert.bind(4, now);
  insert.exec();
  return key;
}

common::Result<common::SecretKey> SqliteAccountKeys::data_key(const std::string& account_id,
                                                              const std::string& now) {
  return locked("cannot read the account's data key", [&]() -> common::Result<common::SecretKey> {
    // The common case, a key made before, reads without taking the write lock.
    if (auto found = stored_key(account_id)) return master_->unwrap(*found, account_id);
    // IMMEDIATE: two writers (another process on the same file) cannot both make a key.
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    auto key = make_key(account_id, now);
    if (key) tx.commit();
    return key;
  });
}

common::Result<std::vector<common::SecretKey>> SqliteAccountKeys::data_keys(
    const std::vector<std::string>& account_ids, const std::string& now) {
  using Keys = std::vector<common::SecretKey>;
  return locked("cannot make the accounts' data keys", [&]() -> common::Result<Keys> {
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    Keys out;
    out.reserve(account_ids.size());
    for (const auto& id : account_ids) {
      auto found = stored_key(id);
      auto key = found ? master_->unwrap(*found, id) : make_key(id, now);
      if (!key) return key.error();  // rolled back: all or none
      out.push_back(std::move(*key));
    }
    tx.commit();
    return out;
  });
}

common::Result<DataKeyLookup> SqliteAccountKeys::find_data_key(const std::string& account_id) {
  return locked("cannot read the account's data key", [&]() -> common::Result<DataKeyLookup> {
    DataKeyLookup lookup;
    if (auto found = stored_key(account_id)) {
      auto key = master_->unwrap(*found, account_id);
      if (!key) return key.error();
      lookup.state = DataKeyLookup::State::present;
      lookup.key = std::move(*key);
    } else if (auto at = erased_at(account_id)) {
      lookup.state = DataKeyLookup::State::erased;
      lookup.erased_at = std::move(*at);
    }
    return lookup;
  });
}

common::Result<Erasure> SqliteAccountKeys::erase(const std::string& account_id,
                                                 const std::string& now) {
  return locked("cannot erase the account's data key", [&]() -> common::Result<Erasure> {
    Erasure erasure;
    {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      if (auto at = erased_at(account_id)) {
        erasure.outcome = Erasure::Outcome::already_erased;
        erasure.erased_at = std::move(*at);
        return erasure;
      }
      SQLite::Statement remove(db_, "DELETE FROM account_keys WHERE account_id = ?");
      remove.bind(1, account_id);
      erasure.outcome =
          remove.exec() > 0 ? Erasure::Outcome::key_destroyed : Erasure::Outcome::no_key_held;
      SQLite::Statement mark(
          db_, "INSERT INTO erased_accounts (account_digest, erased_at) VALUES (?, ?)");
      mark.bind(1, erased_digest(account_id));
      mark.bind(2, now);
      mark.exec();
      tx.commit();
      erasure.erased_at = now;
    }
    erasure.storage_scrubbed = truncate_wal();
    return erasure;
  });
}

// secure_delete zeroes the key's bytes in the page as it is now, but the page's earlier
// versions (the one that held the key) stay as frames in audit.db-wal, and SQLite reuses
// that file from its start without ever clearing it. A TRUNCATE checkpoint copies the zeroed
// page into audit.db and cuts the WAL to zero bytes, so no copy is left in either file.
// A reader in the middle of a transaction keeps it from finishing; the caller is told.
bool SqliteAccountKeys::truncate_wal() {
  SQLite::Statement checkpoint(db_, "PRAGMA wal_checkpoint(TRUNCATE)");
  if (!checkpoint.executeStep()) return false;
  return checkpoint.getColumn(0).getInt() == 0;  // busy: 0 when it finished
}

common::Result<size_t> SqliteAccountKeys::rewrap_all(std::shared_ptr<const MasterKey> next) {
  return locked("cannot re-wrap the data keys", [&]() -> common::Result<size_t> {
    if (next->key_id() == master_->key_id())
      return common::fail("the new master key is the current one (" + next->key_id() + ")");
    struct Rewrapped {
      std::string account_id;
      WrappedKey wrapped;
    };
    std::vector<Rewrapped> rows;
    {
      // One transaction: every key moves to the new master key, or none does.
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      SQLite::Statement all(db_, "SELECT account_id, master_key_id, wrapped FROM account_keys");
      while (all.executeStep()) {
        std::string account_id = all.getColumn(0).getString();
        auto key = master_->unwrap(wrapped_from(all, 1), account_id);
        if (!key) return common::fail(key.error().message + "; nothing was re-wrapped");
        auto wrapped = next->wrap(*key, account_id);
        if (!wrapped) return wrapped.error();
        rows.push_back({std::move(account_id), std::move(*wrapped)});
      }
      SQLite::Statement update(
          db_, "UPDATE account_keys SET master_key_id = ?, wrapped = ? WHERE account_id = ?");
      for (const Rewrapped& row : rows) {
        update.bind(1, row.wrapped.master_key_id);
        bind_blob(update, 2, row.wrapped.bytes);
        update.bind(3, row.account_id);
        update.exec();
        update.reset();
      }
      tx.commit();
    }
    master_ = std::move(next);
    truncate_wal();  // the keys wrapped under the old master key leave the WAL too
    return rows.size();
  });
}

}  // namespace kyc::store::sqlite
