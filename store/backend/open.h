// Opens the store where a StoreLocation says, as its interfaces: what `kyc serve` and the
// commands open, without knowing the backend (store/sqlite/, store/postgres/).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/hmac_sha256.h"
#include "store/account_keys.h"
#include "store/account_store.h"
#include "store/audit_options.h"
#include "store/chain_key.h"
#include "store/decision_log.h"
#include "store/location.h"
#include "store/stores.h"

namespace kyc::store {

// Opens (or creates, or migrates) the store. With a chain key (the service always has one)
// the log is keyed from its next record on, if it is not yet (store/chain.h).
Result<Stores> open_stores(const StoreLocation& where, const AuditOptions& options,
                           const ChainKey* key = nullptr);
// The decision log alone, for readers (verify, export, replay, policy history): nothing is
// written. An error when there is no log there.
Result<std::unique_ptr<DecisionLog>> open_log_read_only(const StoreLocation& where);
// The account store alone (a bulk import).
Result<std::unique_ptr<AccountStore>> open_accounts(const StoreLocation& where,
                                                    std::chrono::milliseconds busy_timeout,
                                                    const ChainKey* key = nullptr);
// The per-account data keys. `erased_ids`: the document key's MAC, under which erased
// accounts are remembered (store/account_keys.h).
Result<std::unique_ptr<AccountKeys>> open_account_keys(const StoreLocation& where,
                                                       std::shared_ptr<const MasterKey> master,
                                                       common::HmacSha256 erased_ids,
                                                       std::chrono::milliseconds busy_timeout);
// Whether a log exists there already (a command that only reads says so instead of creating).
Result<bool> log_exists(const StoreLocation& where);

}  // namespace kyc::store
