#include "store/sqlite/open.h"

#include <filesystem>

#include "store/sqlite/account_keys.h"
#include "store/sqlite/account_store.h"
#include "store/sqlite/decision_log.h"

namespace kyc::store::sqlite {

std::string database_path(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "audit.db").string();
}

Result<Store> open(const std::string& data_dir, const AuditOptions& options, const ChainKey* key) {
  std::string path = database_path(data_dir);
  auto log = SqliteDecisionLog::open(path, options, key);
  if (!log) return log.error();
  auto accounts = SqliteAccountStore::open(path, options.busy_timeout, key);
  if (!accounts) return accounts.error();
  return Store{std::move(*log), std::move(*accounts)};
}

Result<std::unique_ptr<DecisionLog>> open_log_read_only(const std::string& data_dir) {
  std::string path = database_path(data_dir);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return common::fail(path + ": no audit log here");
  auto log = SqliteDecisionLog::open_read_only(path);
  if (!log) return log.error();
  return std::unique_ptr<DecisionLog>(std::move(*log));
}

Result<std::unique_ptr<AccountStore>> open_accounts(const std::string& data_dir,
                                                    std::chrono::milliseconds busy_timeout,
                                                    const ChainKey* key) {
  auto accounts = SqliteAccountStore::open(database_path(data_dir), busy_timeout, key);
  if (!accounts) return accounts.error();
  return std::unique_ptr<AccountStore>(std::move(*accounts));
}

Result<std::unique_ptr<AccountKeys>> open_account_keys(const std::string& data_dir,
                                                       std::shared_ptr<const MasterKey> master,
                                                       common::HmacSha256 erased_ids,
                                                       std::chrono::milliseconds busy_timeout) {
  auto keys = SqliteAccountKeys::open(database_path(data_dir), std::move(master),
                                      std::move(erased_ids), busy_timeout);
  if (!keys) return keys.error();
  return std::unique_ptr<AccountKeys>(std::move(*keys));
}

}  // namespace kyc::store::sqlite
