// The decision log in PostgreSQL, shared by every replica: each replica's writer thread
// commits its queued records in batches (store/group_commit.h), with their document links,
// attempts and idempotency keys in the same transaction. Every appending transaction first
// locks the chain's head row, so that the appends of all replicas form one chain in one order,
// and the checks that decide a Conflict or a Repeated read what every replica committed
// before. A commit returns once PostgreSQL has it durable (synchronous_commit as the server
// is set: on by default).
#pragma once

#include <pqxx/pqxx>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "store/audit_options.h"
#include "store/chain_key.h"
#include "store/decision_log.h"
#include "store/group_commit.h"
#include "store/postgres/activation_listener.h"
#include "store/postgres/connection.h"

namespace kyc::store::postgres {

class PgDecisionLog final : public DecisionLog {
 public:
  // Opens the log of a migrated database. With a chain key, a log not keyed yet is keyed from
  // its first record; a log keyed with another key is an error.
  static Result<std::unique_ptr<PgDecisionLog>> open(const std::string& url,
                                                     const AuditOptions& options,
                                                     const ChainKey* key);
  // For readers (verify, export, replay): read-only transactions; append() fails.
  static Result<std::unique_ptr<PgDecisionLog>> open_read_only(const std::string& url);
  ~PgDecisionLog() override;  // commits what is queued, then stops the writer

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
  Result<ChainHead> head() override;
  Result<ChainScheme> chain_scheme() override;
  Result<void> chained_rows(const ChainKey& key, const RowVisit& visit) override;
  void watch_activations(std::function<void()> changed) override;
  // While the service watches activations: the listener's connection is down, or the last
  // batch failed on a lost connection and none has committed since.
  std::optional<std::string> unavailable() const override;

 private:
  PgDecisionLog() = default;
  bool commit(GroupCommit::Batch& batch, std::vector<Commit>& results);  // the writer thread
  // The batch's transaction; throws when it did not commit.
  void commit_in(pqxx::connection& c, GroupCommit::Batch& batch, std::vector<Commit>& results);
  template <typename Read>
  auto reading(Read read) -> Result<decltype(read(std::declval<pqxx::transaction_base&>()))>;

  std::unique_ptr<Session> writer_db_;  // the writer thread only
  std::mutex reader_mutex_;
  std::unique_ptr<Session> reader_db_;  // under reader_mutex_
  std::optional<ChainKey> key_;
  std::set<std::string> stored_policies_;  // writer thread only: texts already in the log
  int64_t batches_ = 0;                    // writer thread only: when to forget old keys
  std::string url_;
  std::atomic<bool> reachable_{true};   // the listener's connection is up
  std::atomic<bool> writer_lost_{false};  // the last batch failed on a lost connection
  std::unique_ptr<ActivationListener> listener_;
  std::unique_ptr<GroupCommit> writer_;  // null for a reader
};

}  // namespace kyc::store::postgres
