// The store in memory: both interfaces over plain containers, one mutex. What the service's
// unit tests run on, and the proof that a backend is added without touching service/ or
// server/. Nothing survives the process; appends commit at once.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <utility>

#include "store/account_store.h"
#include "store/chain.h"
#include "store/decision_log.h"

namespace kyc::store::memory {

class MemoryStore final : public DecisionLog, public AccountStore {
 public:
  // DecisionLog
  void append(AuditRecord record, Done done) override;
  void deliver_results_with(Deliver deliver) override;
  Result<std::optional<StoredRecord>> get(const std::string& decision_id) override;
  Result<void> range(const std::string& from, const std::string& to, const Visit& visit) override;
  Result<std::vector<std::string>> idle_accounts(const std::string& cutoff, const std::string& after,
                                                 size_t limit) override;
  Result<std::vector<std::string>> days_without_account(const std::string& cutoff) override;
  Result<std::vector<StoredRecord>> account_records(const std::string& account_id, int64_t after,
                                                    size_t limit) override;
  Result<std::optional<std::string>> policy_text(const std::string& sha256) override;
  Result<std::vector<PolicyFile>> policy_files(const std::string& sha256) override;
  Result<int64_t> count() override;
  Result<std::vector<StoredRecord>> activations() override;
  Result<std::vector<DecisionRow>> search(const DecisionQuery& query) override;
  Result<std::vector<BucketCount>> counts(const std::string& from, const std::string& to,
                                          Bucket bucket) override;
  Result<std::optional<IdempotentDecision>> idempotent(const std::string& scope) override;
  Result<ChainHead> head() override;  // its chain is plain: no chain key, no chained rows

  // AccountStore
  Result<void> set_primary(const PrimaryData& data, const std::string& now) override;
  Result<void> set_primary_batch(const std::vector<PrimaryData>& batch,
                                 const std::string& now) override;
  Result<std::optional<PrimaryData>> primary(const std::string& account_id) override;
  Result<int64_t> other_accounts(const std::string& document_hash,
                                 const std::string& account_id) override;
  Result<int64_t> failed_attempts(const std::string& account_id) override;

  // For tests of what happens around a commit: `hook` runs at the start of every append
  // (outside the lock), where another replica's write or a full disk would strike.
  void before_append(std::function<void()> hook) { before_append_ = std::move(hook); }
  void fail_appends(bool fail) { fail_appends_ = fail; }
  // Rewrites a stored record as someone with access to the storage could.
  void overwrite(const StoredRecord& record);

 private:
  Commit commit(AuditRecord& record);  // under mutex_
  int64_t count_other_accounts(const std::string& document_hash,
                               const std::string& account_id) const;  // under mutex_

  std::mutex mutex_;
  std::vector<StoredRecord> records_;  // records_[i].seq == i + 1
  std::map<std::string, std::string> policies_;
  std::map<std::string, std::vector<PolicyFile>> policy_files_;
  std::map<std::string, IdempotentDecision> idempotency_;  // kept for the process's life
  std::map<std::string, PrimaryData> accounts_;
  std::set<std::pair<std::string, std::string>> links_;  // (document hash, account)
  std::map<std::string, int64_t> failed_;
  std::function<void()> before_append_;
  bool fail_appends_ = false;
  std::mutex deliver_mutex_;
  Deliver deliver_;
};

}  // namespace kyc::store::memory
