// The account store: primary-KYC data per account (full name, date of birth, country,
// document type and the keyed hash of the document number, never the number), the documents
// linked to accounts by approvals, and the attempts per account. Links and attempts are
// written by DecisionLog::append, in the transaction that records the decision; this
// interface reads them. store/sqlite/ and store/memory/ implement it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/records.h"

namespace kyc::store {

using common::Result;

// What a decision reads about its account, in one snapshot.
struct AccountReading {
  std::optional<PrimaryData> primary;
  int64_t failed_attempts = 0;
  int64_t other_accounts = 0;  // linked to the document; 0 without a document hash
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // Creates or replaces the account's primary data.
  virtual Result<void> set_primary(const PrimaryData& data, const std::string& now) = 0;
  // The same for many accounts at once, all or none: a bulk import pays one sync per batch
  // instead of one per row.
  virtual Result<void> set_primary_batch(const std::vector<PrimaryData>& batch,
                                         const std::string& now) = 0;
  virtual Result<std::optional<PrimaryData>> primary(const std::string& account_id) = 0;
  // Accounts other than `account_id` that the document is linked to.
  virtual Result<int64_t> other_accounts(const std::string& document_hash,
                                         const std::string& account_id) = 0;
  // Decisions on the account that were not an approval.
  virtual Result<int64_t> failed_attempts(const std::string& account_id) = 0;
  // The three reads above for one decision. A store that can answer them at once (one query,
  // one snapshot) overrides this; the decision path calls nothing else.
  virtual Result<AccountReading> read_for_decision(const std::string& account_id,
                                                   const std::optional<std::string>& document_hash);
};

}  // namespace kyc::store
