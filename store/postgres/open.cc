#include "store/postgres/open.h"

#include "store/postgres/account_keys.h"
#include "store/postgres/account_store.h"
#include "store/postgres/connection.h"
#include "store/postgres/decision_log.h"
#include "store/postgres/migrations.h"

namespace kyc::store::postgres {

Result<Migration> migrate(const std::string& url) {
  auto c = connect(url, std::chrono::milliseconds(60000));
  if (!c) return c.error();
  return apply_migrations(**c);
}

Result<Stores> open(const std::string& url, const AuditOptions& options, const ChainKey* key) {
  // The service applies what a new kycd adds; replicas starting at once take turns.
  auto migrated = migrate(url);
  if (!migrated) return migrated.error();
  auto log = PgDecisionLog::open(url, options, key);
  if (!log) return log.error();
  auto accounts = PgAccountStore::open(url, options.busy_timeout, key);
  if (!accounts) return accounts.error();
  return Stores{std::move(*log), std::move(*accounts)};
}

Result<std::unique_ptr<DecisionLog>> open_log_read_only(const std::string& url) {
  auto log = PgDecisionLog::open_read_only(url);
  if (!log) return log.error();
  return std::unique_ptr<DecisionLog>(std::move(*log));
}

Result<std::unique_ptr<AccountStore>> open_accounts(const std::string& url,
                                                    std::chrono::milliseconds busy_timeout,
                                                    const ChainKey* key) {
  auto migrated = migrate(url);
  if (!migrated) return migrated.error();
  auto accounts = PgAccountStore::open(url, busy_timeout, key);
  if (!accounts) return accounts.error();
  return std::unique_ptr<AccountStore>(std::move(*accounts));
}

Result<std::unique_ptr<AccountKeys>> open_account_keys(const std::string& url,
                                                       std::shared_ptr<const MasterKey> master,
                                                       common::HmacSha256 erased_ids,
                                                       std::chrono::milliseconds busy_timeout) {
  auto migrated = migrate(url);
  if (!migrated) return migrated.error();
  auto keys = PgAccountKeys::open(url, std::move(master), std::move(erased_ids), busy_timeout);
  if (!keys) return keys.error();
  return std::unique_ptr<AccountKeys>(std::move(*keys));
}

Result<bool> log_exists(const std::string& url) {
  auto c = connect(url, std::chrono::milliseconds(5000));
  if (!c) return c.error();
  auto version = schema_version(**c);
  if (!version) return version.error();
  return *version > 0;
}

}  // namespace kyc::store::postgres
