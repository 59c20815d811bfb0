// The PostgreSQL store, as its interfaces: one database that any number of `kyc serve`
// replicas share. The schema comes from the versioned migrations in migrations/, applied at
// open (or by `kyc store migrate`).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/hmac_sha256.h"
#include "store/account_keys.h"
#include "store/audit_options.h"
#include "store/chain_key.h"
#include "store/stores.h"

namespace kyc::store::postgres {

Result<Stores> open(const std::string& url, const AuditOptions& options, const ChainKey* key);
Result<std::unique_ptr<DecisionLog>> open_log_read_only(const std::string& url);
Result<std::unique_ptr<AccountStore>> open_accounts(const std::string& url,
                                                    std::chrono::milliseconds busy_timeout,
                                                    const ChainKey* key);
Result<std::unique_ptr<AccountKeys>> open_account_keys(const std::string& url,
                                                       std::shared_ptr<const MasterKey> master,
                                                       common::HmacSha256 erased_ids,
                                                       std::chrono::milliseconds busy_timeout);
Result<bool> log_exists(const std::string& url);

// What `kyc store migrate` reports: the versions applied now, and the one the database is at.
struct Migration {
  std::vector<std::string> applied;
  int version = 0;
};
Result<Migration> migrate(const std::string& url);

}  // namespace kyc::store::postgres
