#include "store/account_store.h"

namespace kyc::store {

Result<AccountReading> AccountStore::read_for_decision(
    const std::string& account_id, const std::optional<std::string>& document_hash) {
  AccountReading reading;
  if (document_hash) {
    auto others = other_accounts(*document_hash, account_id);
    if (!others) return others.error();
    reading.other_accounts = *others;
  }
  auto failed = failed_attempts(account_id);
  if (!failed) return failed.error();
  reading.failed_attempts = *failed;
  auto primary_data = primary(account_id);
  if (!primary_data) return primary_data.error();
  reading.primary = std::move(*primary_data);
  return reading;
}

}  // namespace kyc::store
