// The account store in SQLite, in the same file as the decision log (whose writer adds the
// document links and attempts this store reads). In a keyed log every change of primary data
// is itself a chained record (kAccountChangeStage), committed with the change.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "store/account_store.h"
#include "store/chain_key.h"

namespace kyc::store::sqlite {

class SqliteAccountStore final : public AccountStore {
 public:
  // `key`: the log's chain key; changes are chained when the log is keyed (with that key).
  static Result<std::unique_ptr<SqliteAccountStore>> open(const std::string& path,
                                                          std::chrono::milliseconds busy_timeout,
                                                          const ChainKey* key = nullptr);

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
  explicit SqliteAccountStore(const std::string& path)
      : db_(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE) {}
  template <typename Use>
  auto locked(const char* what, Use use) -> Result<decltype(use())>;
  // A statement prepared on first use and kept: preparing the decision path's look-ups again
  // for every decision cost more than running them.
  SQLite::Statement& prepared(std::unique_ptr<SQLite::Statement>& slot, const char* sql);

  // Writes the rows and, in a keyed log, the record that chains them.
  void write_primary(const std::vector<PrimaryData>& batch, const std::string& now);

  std::optional<ChainKey> key_;  // set when the log is keyed: changes are chained
  std::mutex mutex_;
  SQLite::Database db_;
  std::unique_ptr<SQLite::Statement> primary_, others_, failed_, reading_;  // under mutex_
};

}  // namespace kyc::store::sqlite
