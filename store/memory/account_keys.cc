#include "store/memory/account_keys.h"

namespace kyc::store::memory {

common::Result<common::SecretKey> MemoryAccountKeys::data_key(const std::string& account_id,
                                                              const std::string&) {
  std::lock_guard lock(mutex_);
  if (auto it = keys_.find(account_id); it != keys_.end())
    return master_->unwrap(it->second, account_id);
  if (auto it = erased_at_.find(account_id); it != erased_at_.end())
    return common::fail("account " + account_id + " was erased at " + it->second +
                        ": its data key is destroyed, and no new one is made for it");
  auto key = common::SecretKey::random();
  if (!key) return key.error();
  auto wrapped = master_->wrap(*key, account_id);
  if (!wrapped) return wrapped.error();
  keys_.emplace(account_id, std::move(*wrapped));
  return key;
}

common::Result<DataKeyLookup> MemoryAccountKeys::find_data_key(const std::string& account_id) {
  std::lock_guard lock(mutex_);
  DataKeyLookup lookup;
  if (auto it = keys_.find(account_id); it != keys_.end()) {
    auto key = master_->unwrap(it->second, account_id);
    if (!key) return key.error();
    lookup.state = DataKeyLookup::State::present;
    lookup.key = std::move(*key);
  } else if (auto at = erased_at_.find(account_id); at != erased_at_.end()) {
    lookup.state = DataKeyLookup::State::erased;
    lookup.erased_at = at->second;
  }
  return lookup;
}

common::Result<Erasure> MemoryAccountKeys::erase(const std::string& account_id,
                                                 const std::string& now) {
  std::lock_guard lock(mutex_);
  Erasure erasure;
  if (auto at = erased_at_.find(account_id); at != erased_at_.end()) {
    erasure.outcome = Erasure::Outcome::already_erased;
    erasure.erased_at = at->second;
    return erasure;
  }
  erasure.outcome =
      keys_.erase(account_id) > 0 ? Erasure::Outcome::key_destroyed : Erasure::Outcome::no_key_held;
  erased_at_[account_id] = now;
  erasure.erased_at = now;
  return erasure;
}

common::Result<size_t> MemoryAccountKeys::rewrap_all(std::shared_ptr<const MasterKey> next) {
  std::lock_guard lock(mutex_);
  if (next->key_id() == master_->key_id())
    return common::fail("the new master key is the current one (" + next->key_id() + ")");
  std::map<std::string, WrappedKey> rewrapped;
  for (const auto& [account_id, wrapped] : keys_) {
    auto key = master_->unwrap(wrapped, account_id);
    if (!key) return common::fail(key.error().message + "; nothing was re-wrapped");
    auto again = next->wrap(*key, account_id);
    if (!again) return again.error();
    rewrapped.emplace(account_id, std::move(*again));
  }
  keys_ = std::move(rewrapped);
  master_ = std::move(next);
  return keys_.size();
}

}  // namespace kyc::store::memory
