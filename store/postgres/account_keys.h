// The per-account data keys in PostgreSQL (store/account_keys.h): one row per account with its
// wrapped key (base64) and the master key's id, one row per erased account (a keyed digest of
// its id). Replicas that make a key for one account at once keep the first one stored.
#pragma once

#include <pqxx/pqxx>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "common/hmac_sha256.h"
#include "store/account_keys.h"
#include "store/postgres/connection.h"

namespace kyc::store::postgres {

class PgAccountKeys final : public AccountKeys {
 public:
  static common::Result<std::unique_ptr<PgAccountKeys>> open(
      const std::string& url, std::shared_ptr<const MasterKey> master,
      common::HmacSha256 erased_ids, std::chrono::milliseconds busy_timeout);

  common::Result<common::SecretKey> data_key(const std::string& account_id,
                                             const std::string& now) override;
  common::Result<std::vector<common::SecretKey>> data_keys(
      const std::vector<std::string>& account_ids, const std::string& now) override;
  common::Result<DataKeyLookup> find_data_key(const std::string& account_id) override;
  // PostgreSQL keeps a deleted row's old version until VACUUM and in its WAL: the erasure
  // answers storage_scrubbed false (the key is unreadable to kycd at once all the same).
  common::Result<Erasure> erase(const std::string& account_id, const std::string& now) override;
  common::Result<size_t> rewrap_all(std::shared_ptr<const MasterKey> next) override;

 private:
  PgAccountKeys(std::shared_ptr<const MasterKey> master, common::HmacSha256 erased_ids)
      : master_(std::move(master)), erased_ids_(std::move(erased_ids)) {}
  // Runs use(connection) under the mutex; a database error ends here as an Error.
  template <typename Use>
  auto locked(const char* what, Use use, Session::Retry retry = Session::Retry::once)
      -> decltype(use(std::declval<pqxx::connection&>()));
  std::string erased_digest(const std::string& account_id) const;
  std::optional<WrappedKey> stored_key(pqxx::transaction_base& tx, const std::string& account_id);
  std::optional<std::string> erased_at(pqxx::transaction_base& tx, const std::string& account_id);
  // The account's key, made and stored when it has none and was not erased; in `tx`.
  common::Result<common::SecretKey> key_for(pqxx::transaction_base& tx,
                                            const std::string& account_id, const std::string& now);

  std::shared_ptr<const MasterKey> master_;  // under mutex_ (rewrap_all replaces it)
  common::HmacSha256 erased_ids_;
  std::mutex mutex_;
  std::unique_ptr<Session> session_;  // under mutex_
};

}  // namespace kyc::store::postgres
