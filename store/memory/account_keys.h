// Per-account data keys in memory, for the service's unit tests: the same rules as the SQLite
// store (a key made on first use, erased accounts remembered and refused a new key, re-wrap
// all or none), without a file. Erased accounts are kept by id: nothing outlives the process.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "store/account_keys.h"

namespace kyc::store::memory {

class MemoryAccountKeys final : public AccountKeys {
 public:
  explicit MemoryAccountKeys(std::shared_ptr<const MasterKey> master)
      : master_(std::move(master)) {}

  common::Result<common::SecretKey> data_key(const std::string& account_id,
                                             const std::string& now) override;
  common::Result<DataKeyLookup> find_data_key(const std::string& account_id) override;
  common::Result<Erasure> erase(const std::string& account_id, const std::string& now) override;
  common::Result<size_t> rewrap_all(std::shared_ptr<const MasterKey> next) override;

 private:
  std::mutex mutex_;
  std::shared_ptr<const MasterKey> master_;       // under mutex_
  std::map<std::string, WrappedKey> keys_;        // under mutex_
  std::map<std::string, std::string> erased_at_;  // account -> time; under mutex_
};

}  // namespace kyc::store::memory
