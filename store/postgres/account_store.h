// The account store in PostgreSQL: primary data written here (each change stated in the chain
// as a kAccountChangeStage record, after the locked head, like a decision's), links and
// attempts written by the decision log's writer and read here. One connection, one caller at a
// time; a decision's reads are one statement.
#pragma once

#include <pqxx/pqxx>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "store/account_store.h"
#include "store/chain_key.h"
#include "store/postgres/connection.h"

namespace kyc::store::postgres {

class PgAccountStore final : public AccountStore {
 public:
  // A migrated database. A writer needs the chain key: account changes are chained.
  static Result<std::unique_ptr<PgAccountStore>> open(const std::string& url,
                                                      std::chrono::milliseconds busy_timeout,
                                                      const ChainKey* key);

  Result<void> set_primary(const PrimaryData& data, const std::string& now) override;
  Result<void> set_primary_batch(const std::vector<PrimaryData>& batch,
                                 const std::string& now) override;
  Result<std::optional<PrimaryData>> primary(const std::string& account_id) override;
  Result<int64_t> other_accounts(const std::string& document_hash,
                                 const std::string& account_id) override;
  Result<int64_t> failed_attempts(const std::string& account_id) override;
  Result<AccountReading> read_for_decision(
      const std::string& account_id, const std::optional<std::string>& document_hash) override;

 private:
  PgAccountStore() = default;
  // Runs use(connection) under the mutex; a database error ends here as an Error.
  template <typename Use>
  auto locked(const char* what, Use use)
      -> typename ResultOf<decltype(use(std::declval<pqxx::connection&>()))>::type;

  std::mutex mutex_;
  std::unique_ptr<Session> session_;  // under mutex_
  std::optional<ChainKey> key_;
};

}  // namespace kyc::store::postgres
