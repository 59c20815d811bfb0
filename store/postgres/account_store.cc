#include "store/postgres/account_store.h"

#include "store/chained_rows.h"
#include "store/postgres/chain_records.h"
#include "store/postgres/connection.h"

namespace kyc::store::postgres {

namespace {

// What a decision reads about account $1 and document $2, as one statement (one snapshot, one
// round trip). Without a document ($2 NULL) the count is 0.
constexpr const char* kReadForDecision = R"(SELECT a.full_name, a.birth_date, a.country,
      a.document_type, a.document_hash,
      (SELECT failed FROM attempts WHERE account_id = $1),
      (SELECT count(*) FROM document_links WHERE document_hash = $2 AND account_id <> $1)
    FROM (SELECT 1) one LEFT JOIN accounts a ON a.account_id = $1)";

constexpr const char* kUpsert = R"(INSERT INTO accounts
      (account_id, full_name, birth_date, country, document_type, document_hash, updated_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7)
      ON CONFLICT (account_id) DO UPDATE SET full_name = excluded.full_name,
        birth_date = excluded.birth_date, country = excluded.country,
        document_type = excluded.document_type, document_hash = excluded.document_hash,
        updated_at = excluded.updated_at)";

PrimaryData primary_from(const std::string& account_id, const pqxx::row& row) {
  return PrimaryData{account_id,
                     row[0].as<std::string>(),
                     row[1].as<std::string>(),
                     row[2].as<std::string>(),
                     row[3].as<std::string>(),
                     row[4].as<std::string>()};
}

}  // namespace

Result<std::unique_ptr<PgAccountStore>> PgAccountStore::open(const std::string& url,
                                                             std::chrono::milliseconds busy_timeout,
                                                             const ChainKey* key) {
  std::unique_ptr<PgAccountStore> s(new PgAccountStore());
  s->session_ = std::make_unique<Session>(url, busy_timeout, [](pqxx::connection& c) {
    c.prepare("reading", kReadForDecision);
    c.prepare("upsert", kUpsert);
  });
  if (auto connected = s->session_->open(); !connected) return connected.error();
  auto opened = s->locked("cannot open the account store", [&](pqxx::connection& c) -> Result<void> {
    pqxx::work tx(c);
    if (!key) {
      ChainScheme scheme = read_chain_scheme(tx);
      if (scheme.keyed_from)
        return common::fail("the store's audit log is chained with chain key " + scheme.key_id +
                            ": account changes need it (--chain-key FILE)");
      return {};
    }
    auto keyed = ensure_keyed(tx, *key);
    if (keyed) tx.commit();
    return keyed;
  });
  if (!opened) return opened.error();
  if (key) s->key_ = *key;
  return s;
}

template <typename Use>
auto PgAccountStore::locked(const char* what, Use use)
    -> typename ResultOf<decltype(use(std::declval<pqxx::connection&>()))>::type {
  std::lock_guard lock(mutex_);
  return as_result(what, [&] { return session_->run(use); });
}

Result<void> PgAccountStore::set_primary(const PrimaryData& d, const std::string& now) {
  return set_primary_batch({d}, now);
}

Result<void> PgAccountStore::set_primary_batch(const std::vector<PrimaryData>& batch,
                                               const std::string& now) {
  return locked("cannot write the accounts", [&](pqxx::connection& c) {
    // All or none: an error unwinds past the commit, and the transaction rolls back.
    pqxx::work tx(c);
    if (key_) tx.exec(kLockHead);  // the head first, as the log's writer takes it
    std::vector<RowState> rows;
    for (const PrimaryData& d : batch) {
      tx.exec_prepared("upsert", d.account_id, d.full_name, d.birth_date, d.country,
                       d.document_type, d.document_hash, now);
      if (key_)
        rows.push_back(account_row(*key_, d.account_id, d.full_name, d.birth_date, d.country,
                                   d.document_type, d.document_hash, now));
    }
    if (key_ && !rows.empty()) {
      AuditRecord r = account_change_record(rows, now);
      append_chain_record(tx, *key_, r);
    }
    tx.commit();
  });
}

Result<std::optional<PrimaryData>> PgAccountStore::primary(const std::string& account_id) {
  return locked("cannot read the account", [&](pqxx::connection& c) -> std::optional<PrimaryData> {
    pqxx::nontransaction tx(c);
    auto r = tx.exec_params(
        "SELECT full_name, birth_date, country, document_type, document_hash FROM accounts "
        "WHERE account_id = $1",
        account_id);
    if (r.empty()) return std::nullopt;
    return primary_from(account_id, r[0]);
  });
}

Result<int64_t> PgAccountStore::other_accounts(const std::string& document_hash,
                                               const std::string& account_id) {
  return locked("cannot read the document's accounts", [&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    return tx.exec_params(
                 "SELECT count(*) FROM document_links WHERE document_hash = $1 AND account_id "
                 "<> $2",
                 document_hash, account_id)[0][0]
        .as<int64_t>();
  });
}

Result<int64_t> PgAccountStore::failed_attempts(const std::string& account_id) {
  return locked("cannot read the account's attempts", [&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    auto r = tx.exec_params("SELECT failed FROM attempts WHERE account_id = $1", account_id);
    return r.empty() ? int64_t{0} : r[0][0].as<int64_t>();
  });
}

Result<AccountReading> PgAccountStore::read_for_decision(
    const std::string& account_id, const std::optional<std::string>& document_hash) {
  return locked("cannot read the account", [&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    auto r = tx.exec_prepared("reading", account_id, document_hash);
    AccountReading reading;
    const pqxx::row row = r[0];
    if (!row[0].is_null()) reading.primary = primary_from(account_id, row);
    reading.failed_attempts = row[5].is_null() ? 0 : row[5].as<int64_t>();
    reading.other_accounts = row[6].as<int64_t>();
    return reading;
  });
}

}  // namespace kyc::store::postgres
