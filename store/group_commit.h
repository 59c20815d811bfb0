// The writer thread every durable backend runs (group commit): appends queue up; one thread
// takes up to batch_max of them at a time and commits them in one transaction, so that the
// records arriving while one commit syncs form the next batch. Each record's `done` runs once
// its batch is durable, or failed; a server hands the whole batch's callbacks to its io thread
// in one go (deliver_results_with).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "store/audit_options.h"
#include "store/decision_log.h"

namespace kyc::store {

class GroupCommit {
 public:
  using Batch = std::deque<std::pair<AuditRecord, DecisionLog::Done>>;
  // Commits a batch, setting each record's result (Committed, Conflict, Repeated); false when
  // the transaction failed as a whole (every record then fails).
  using CommitBatch = std::function<bool(Batch& batch, std::vector<DecisionLog::Commit>& results)>;

  GroupCommit(const AuditOptions& options, CommitBatch commit);  // starts the writer thread
  ~GroupCommit();  // commits what is queued, then stops the writer
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  void append(AuditRecord record, DecisionLog::Done done);
  void deliver_results_with(DecisionLog::Deliver deliver);

 private:
  void writer_loop();
  bool hand_over(std::function<void()>& finish);  // false: no deliverer, run it here

  AuditOptions options_;
  CommitBatch commit_;
  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  Batch queue_;
  bool stopping_ = false;
  std::mutex deliver_mutex_;
  DecisionLog::Deliver deliver_;
  std::thread writer_;
};

}  // namespace kyc::store
