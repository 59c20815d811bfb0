#include "store/backend/open.h"

#include <filesystem>

#include "store/postgres/open.h"
#include "store/sqlite/open.h"

namespace kyc::store {

namespace {

bool is_postgresql(const StoreLocation& where) {
  return where.kind == StoreLocation::Kind::postgresql;
}

}  // namespace

Result<Stores> open_stores(const StoreLocation& where, const AuditOptions& options,
                           const ChainKey* key) {
  if (is_postgresql(where)) return postgres::open(where.url, options, key);
  auto opened = sqlite::open(where.sqlite_dir, options, key);
  if (!opened) return opened.error();
  return Stores{std::move(opened->decisions), std::move(opened->accounts)};
}

Result<std::unique_ptr<DecisionLog>> open_log_read_only(const StoreLocation& where) {
  if (is_postgresql(where)) return postgres::open_log_read_only(where.url);
  return sqlite::open_log_read_only(where.sqlite_dir);
}

Result<std::unique_ptr<AccountStore>> open_accounts(const StoreLocation& where,
                                                    std::chrono::milliseconds busy_timeout,
                                                    const ChainKey* key) {
  if (is_postgresql(where)) return postgres::open_accounts(where.url, busy_timeout, key);
  return sqlite::open_accounts(where.sqlite_dir, busy_timeout, key);
}

Result<std::unique_ptr<AccountKeys>> open_account_keys(const StoreLocation& where,
                                                       std::shared_ptr<const MasterKey> master,
                                                       common::HmacSha256 erased_ids,
                                                       std::chrono::milliseconds busy_timeout) {
  if (is_postgresql(where))
    return postgres::open_account_keys(where.url, std::move(master), std::move(erased_ids),
                                       busy_timeout);
  return sqlite::open_account_keys(where.sqlite_dir, std::move(master), std::move(erased_ids),
                                   busy_timeout);
}

Result<bool> log_exists(const StoreLocation& where) {
  if (is_postgresql(where)) return postgres::log_exists(where.url);
  std::error_code ec;
  return std::filesystem::exists(sqlite::database_path(where.sqlite_dir), ec);
}

}  // namespace kyc::store
