// Primary-KYC data per account (the first, non-document step): full name, date of birth,
// country, document type and the keyed hash of the document number (never the number).
// Document links and attempts live beside the audit records (AuditLog), because an approval
// links a document in the same transaction that records the decision.
#pragma once

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace kyc::store {

struct PrimaryData {
  std::string account_id;
  std::string full_name;
  std::string birth_date;  // YYYY-MM-DD
  std::string country;
  std::string document_type;
  std::string document_hash;  // DocumentKey::hash of the number
};

class AccountStore {
 public:
  static std::unique_ptr<AccountStore> open(const std::string& path,
                                            std::chrono::milliseconds busy_timeout,
                                            std::string& error);
  // Creates or replaces the account's primary data; false with `error` when it cannot.
  bool set_primary(const PrimaryData& data, const std::string& now, std::string& error);
  // The same for many accounts in one transaction, all or none: a bulk import pays one sync
  // per batch instead of one per row. false with `error` (and nothing written) when it cannot.
  bool set_primary_batch(const std::vector<PrimaryData>& batch, const std::string& now,
                         std::string& error);
  std::optional<PrimaryData> primary(const std::string& account_id);

 private:
  explicit AccountStore(const std::string& path)
      : db_(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE) {}
  std::mutex mutex_;
  SQLite::Database db_;
};

}  // namespace kyc::store
