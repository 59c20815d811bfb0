// The account store with the primary data's personal fields (full name, birth date) sealed
// under the account's data key (personal_seal.h): what the backend stores is ciphertext,
// and once the account is erased its primary data reads as absent. The document number was
// never stored (only its keyed hash); country and document type are not personal.
#pragma once

#include "service/personal_seal.h"
#include "store/account_store.h"

namespace kyc::service {

class SealedAccountStore final : public store::AccountStore {
 public:
  SealedAccountStore(store::AccountStore& inner, PersonalSeal& seal) : inner_(inner), seal_(seal) {}

  Result<void> set_primary(const store::PrimaryData& data, const std::string& now) override;
  Result<void> set_primary_batch(const std::vector<store::PrimaryData>& batch,
                                 const std::string& now) override;
  Result<std::optional<store::PrimaryData>> primary(const std::string& account_id) override;
  Result<int64_t> other_accounts(const std::string& document_hash,
                                 const std::string& account_id) override {
    return inner_.other_accounts(document_hash, account_id);
  }
  Result<int64_t> failed_attempts(const std::string& account_id) override {
    return inner_.failed_attempts(account_id);
  }
  Result<store::AccountReading> read_for_decision(
      const std::string& account_id, const std::optional<std::string>& document_hash) override;

 private:
  Result<store::PrimaryData> sealed(store::PrimaryData data, const std::string& now);
  // nullopt once the account was erased.
  Result<std::optional<store::PrimaryData>> opened(std::optional<store::PrimaryData> data);

  store::AccountStore& inner_;
  PersonalSeal& seal_;
};

}  // namespace kyc::service
