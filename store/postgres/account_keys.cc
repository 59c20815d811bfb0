#include "store/postgres/account_keys.h"

#include "common/base64.h"
#include "store/postgres/connection.h"

namespace kyc::store::postgres {

namespace {

// Keeps erased-account digests apart from the document-number digests made with the same key
// (the same domain as the SQLite store's: a digest means the same in both).
constexpr const char* kErasedDomain = "kycd erased account\n";

common::Result<WrappedKey> wrapped_from(const pqxx::row& row, int first) {
  auto bytes = common::base64_decode(row[first + 1].as<std::string>());
  if (!bytes) return common::fail("a stored data key is not base64: " + bytes.error().message);
  return WrappedKey{row[first].as<std::string>(), std::move(*bytes)};
}

}  // namespace

common::Result<std::unique_ptr<PgAccountKeys>> PgAccountKeys::open(
    const std::string& url, std::shared_ptr<const MasterKey> master, common::HmacSha256 erased_ids,
    std::chrono::milliseconds busy_timeout) {
  std::unique_ptr<PgAccountKeys> s(new PgAccountKeys(std::move(master), std::move(erased_ids)));
  s->session_ = std::make_unique<Session>(url, busy_timeout);
  if (auto connected = s->session_->open(); !connected) return connected.error();
  return s;
}

// One connection, one caller at a time; a database error ends here as an Error (an open
// transaction rolls back as it unwinds).
template <typename Use>
auto PgAccountKeys::locked(const char* what, Use use, Session::Retry retry)
    -> decltype(use(std::declval<pqxx::connection&>())) {
  std::lock_guard lock(mutex_);
  try {
    return session_->run(use, retry);
  } catch (const std::exception& e) {
    return common::fail(std::string(what) + ": " + e.what());
  }
}

std::string PgAccountKeys::erased_digest(const std::string& account_id) const {
  return erased_ids_.hex({kErasedDomain, account_id});
}

std::optional<WrappedKey> PgAccountKeys::stored_key(pqxx::transaction_base& tx,
                                                    const std::string& account_id) {
  auto r = tx.exec_params("SELECT master_key_id, wrapped FROM account_keys WHERE account_id = $1",
                          account_id);
  if (r.empty()) return std::nullopt;
  auto wrapped = wrapped_from(r[0], 0);
  if (!wrapped) throw std::runtime_error(wrapped.error().message);
  return std::move(*wrapped);
}

std::optional<std::string> PgAccountKeys::erased_at(pqxx::transaction_base& tx,
                                                    const std::string& account_id) {
  auto r = tx.exec_params("SELECT erased_at FROM erased_accounts WHERE account_digest = $1",
                          erased_digest(account_id));
  if (r.empty()) return std::nullopt;
  return r[0][0].as<std::string>();
}

common::Result<common::SecretKey> PgAccountKeys::key_for(pqxx::transaction_base& tx,
                                                         const std::string& account_id,
                                                         const std::string& now) {
  if (auto found = stored_key(tx, account_id)) return master_->unwrap(*found, account_id);
  if (auto at = erased_at(tx, account_id))
    return common::fail("account " + account_id + " was erased at " + *at +
                        ": its data key is destroyed, and no new one is made for it");
  auto key = common::SecretKey::random();
  if (!key) return key.error();
  auto wrapped = master_->wrap(*key, account_id);
  if (!wrapped) return wrapped.error();
  // Another replica may store one first: its key stands, and this one is dropped unused.
  tx.exec_params(
      "INSERT INTO account_keys (account_id, master_key_id, wrapped, created_at) VALUES ($1, $2, "
      "$3, $4) ON CONFLICT DO NOTHING",
      account_id, wrapped->master_key_id, common::base64_encode(wrapped->bytes), now);
  auto stored = stored_key(tx, account_id);
  if (!stored) return common::fail("the data key of account " + account_id + " was not stored");
  return master_->unwrap(*stored, account_id);
}

common::Result<common::SecretKey> PgAccountKeys::data_key(const std::string& account_id,
                                                          const std::string& now) {
  return locked("cannot read the account's data key", [&](pqxx::connection& c) -> common::Result<common::SecretKey> {
    pqxx::work tx(c);
    auto key = key_for(tx, account_id, now);
    if (key) tx.commit();
    return key;
  });
}

common::Result<std::vector<common::SecretKey>> PgAccountKeys::data_keys(
    const std::vector<std::string>& account_ids, const std::string& now) {
  using Keys = std::vector<common::SecretKey>;
  return locked("cannot make the accounts' data keys", [&](pqxx::connection& c) -> common::Result<Keys> {
    pqxx::work tx(c);
    Keys out;
    out.reserve(account_ids.size());
    for (const auto& id : account_ids) {
      auto key = key_for(tx, id, now);
      if (!key) return key.error();  // rolled back: all or none
      out.push_back(std::move(*key));
    }
    tx.commit();
    return out;
  });
}

common::Result<DataKeyLookup> PgAccountKeys::find_data_key(const std::string& account_id) {
  return locked("cannot read the account's data key", [&](pqxx::connection& c) -> common::Result<DataKeyLookup> {
    pqxx::nontransaction tx(c);
    DataKeyLookup lookup;
    if (auto found = stored_key(tx, account_id)) {
      auto key = master_->unwrap(*found, account_id);
      if (!key) return key.error();
      lookup.state = DataKeyLookup::State::present;
      lookup.key = std::move(*key);
    } else if (auto at = erased_at(tx, account_id)) {
      lookup.state = DataKeyLookup::State::erased;
      lookup.erased_at = std::move(*at);
    }
    return lookup;
  });
}

common::Result<Erasure> PgAccountKeys::erase(const std::string& account_id,
                                             const std::string& now) {
  return locked("cannot erase the account's data key", [&](pqxx::connection& c) -> common::Result<Erasure> {
    Erasure erasure;
    pqxx::work tx(c);
    // The mark first: of two erasures at once, one inserts it and the other waits, then finds
    // it there.
    auto marked = tx.exec_params(
        "INSERT INTO erased_accounts (account_digest, erased_at) VALUES ($1, $2) ON CONFLICT DO "
        "NOTHING",
        erased_digest(account_id), now);
    if (marked.affected_rows() == 0) {
      erasure.outcome = Erasure::Outcome::already_erased;
      erasure.erased_at = erased_at(tx, account_id).value_or("");
      return erasure;
    }
    auto removed = tx.exec_params("DELETE FROM account_keys WHERE account_id = $1", account_id);
    erasure.outcome = removed.affected_rows() > 0 ? Erasure::Outcome::key_destroyed
                                                  : Erasure::Outcome::no_key_held;
    tx.commit();
    erasure.erased_at = now;
    erasure.storage_scrubbed = false;
    return erasure;
  });
}

common::Result<size_t> PgAccountKeys::rewrap_all(std::shared_ptr<const MasterKey> next) {
  return locked("cannot re-wrap the data keys", [&](pqxx::connection& c) -> common::Result<size_t> {
    if (next->key_id() == master_->key_id())
      return common::fail("the new master key is the current one (" + next->key_id() + ")");
    // One transaction: every key moves to the new master key, or none does. The table's lock
    // keeps a replica from making a key under the old master key meanwhile (reads go on).
    pqxx::work tx(c);
    tx.exec("LOCK TABLE account_keys IN EXCLUSIVE MODE");
    size_t count = 0;
    for (const auto& row : tx.exec("SELECT account_id, master_key_id, wrapped FROM account_keys")) {
      std::string account_id = row[0].as<std::string>();
      auto wrapped = wrapped_from(row, 1);
      if (!wrapped) return wrapped.error();
      auto key = master_->unwrap(*wrapped, account_id);
      if (!key) return common::fail(key.error().message + "; nothing was re-wrapped");
      auto rewrapped = next->wrap(*key, account_id);
      if (!rewrapped) return rewrapped.error();
      tx.exec_params("UPDATE account_keys SET master_key_id = $1, wrapped = $2 WHERE account_id = $3",
                     rewrapped->master_key_id, common::base64_encode(rewrapped->bytes), account_id);
      ++count;
    }
    tx.commit();
    master_ = std::move(next);
    return count;
  }, Session::Retry::never);  // run twice, it would find the keys re-wrapped already
}

}  // namespace kyc::store::postgres
