// The SQLite store of a data folder, as its interfaces: what the service and the CLI open,
// without including SQLite themselves.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/hmac_sha256.h"
#include "store/account_keys.h"
#include "store/account_store.h"
#include "store/chain_key.h"
#include "store/decision_log.h"
#include "store/sqlite/options.h"

namespace kyc::store::sqlite {

// The file the store keeps in a data folder.
std::string database_path(const std::string& data_dir);

struct Store {
  std::unique_ptr<DecisionLog> decisions;
  std::unique_ptr<AccountStore> accounts;
};
// Opens (or creates) the store in `data_dir`. With a chain key (the service always has one)
// the log is keyed from its next record on, if it is not yet (store/chain.h).
Result<Store> open(const std::string& data_dir, const AuditOptions& options,
                   const ChainKey* key = nullptr);
// The decision log alone, for readers (verify, export, replay): nothing is written. An error
// when the folder holds no log.
Result<std::unique_ptr<DecisionLog>> open_log_read_only(const std::string& data_dir);
// The account store alone (a bulk import).
Result<std::unique_ptr<AccountStore>> open_accounts(const std::string& data_dir,
                                                    std::chrono::milliseconds busy_timeout,
                                                    const ChainKey* key = nullptr);

// The per-account data keys alone (kyc keys rotate; later the service). `erased_ids`: the
// data folder's document key (DocumentKey::mac), under which erased accounts are remembered.
Result<std::unique_ptr<AccountKeys>> open_account_keys(const std::string& data_dir,
                                                       std::shared_ptr<const MasterKey> master,
                                                       common::HmacSha256 erased_ids,
                                                       std::chrono::milliseconds busy_timeout);

}  // namespace kyc::store::sqlite
