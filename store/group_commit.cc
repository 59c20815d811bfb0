#include "store/group_commit.h"

#include <memory>

namespace kyc::store {

GroupCommit::GroupCommit(const AuditOptions& options, CommitBatch commit)
    : options_(options), commit_(std::move(commit)), writer_([this] { writer_loop(); }) {}

GroupCommit::~GroupCommit() {
  {
    std::lock_guard lock(queue_mutex_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  if (writer_.joinable()) writer_.join();
}

void GroupCommit::append(AuditRecord record, DecisionLog::Done done) {
  bool wake;
  {
    std::lock_guard lock(queue_mutex_);
    queue_.emplace_back(std::move(record), std::move(done));
    // The writer sleeps either for a first record or for a full batch; waking it for every
    // record in between costs a context switch per decision.
    wake = queue_.size() == 1 || queue_.size() == options_.batch_max;
  }
  if (wake) queue_cv_.notify_one();
}

void GroupCommit::deliver_results_with(DecisionLog::Deliver deliver) {
  std::lock_guard lock(deliver_mutex_);
  deliver_ = std::move(deliver);
}

bool GroupCommit::hand_over(std::function<void()>& finish) {
  std::lock_guard lock(deliver_mutex_);
  if (!deliver_) return false;
  deliver_(std::move(finish));
  return true;
}

void GroupCommit::writer_loop() {
  std::unique_lock lock(queue_mutex_);
  while (true) {
    queue_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty() && stopping_) return;
    // Group commit: give concurrent requests a moment to join this transaction.
    if (queue_.size() < options_.batch_max && options_.max_wait.count() > 0 && !stopping_)
      queue_cv_.wait_for(lock, options_.max_wait,
                         [this] { return stopping_ || queue_.size() >= options_.batch_max; });
    Batch batch;
    while (!queue_.empty() && batch.size() < options_.batch_max) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    lock.unlock();
    std::vector<DecisionLog::Commit> results;
    if (!commit_(batch, results)) results.assign(batch.size(), DecisionLog::Commit::Failed);
    std::function<void()> finish = [batch = std::make_shared<Batch>(std::move(batch)),
                                    results = std::move(results)] {
      for (size_t i = 0; i < batch->size(); ++i) (*batch)[i].second(results[i]);
    };
    if (!hand_over(finish)) finish();
    lock.lock();
  }
}

}  // namespace kyc::store
