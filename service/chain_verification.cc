#include "service/chain_verification.h"

#include "service/checkpoints.h"
#include "service/clock.h"
#include "service/policy_history.h"

namespace kyc::service {

const char* state_name(ChainVerificationStatus::State s) {
  switch (s) {
    case ChainVerificationStatus::State::Idle: return "idle";
    case ChainVerificationStatus::State::Running: return "running";
    case ChainVerificationStatus::State::Done: return "done";
  }
  return "idle";
}

ChainVerification::ChainVerification(store::DecisionLog& log, store::OpenLogReader open_reader,
                                     const store::ChainKey* key, const Checkpoints* checkpoints)
    : log_(log), open_reader_(std::move(open_reader)), key_(key), checkpoints_(checkpoints) {}

ChainVerification::~ChainVerification() {
  stopping_ = true;
  if (worker_.joinable()) worker_.join();
}

ChainVerificationStatus ChainVerification::start(const std::string& by) {
  std::lock_guard lock(mutex_);
  if (status_.state == ChainVerificationStatus::State::Running) {
    auto s = status_;
    s.checked = checked_;
    s.total = total_;
    return s;
  }
  if (worker_.joinable()) worker_.join();  // the last check, finished
  status_ = ChainVerificationStatus{};
  status_.state = ChainVerificationStatus::State::Running;
  status_.started_at = now_rfc3339();
  status_.by = by;
  checked_ = 0;
  total_ = 0;
  reader_.reset();
  if (open_reader_) {
    auto opened = open_reader_();
    if (!opened) {
      // Not a broken chain: the check could not start. Said as the result, so that the
      // console shows why instead of waiting.
      status_.state = ChainVerificationStatus::State::Done;
      status_.finished_at = status_.started_at;
      status_.result = store::ChainCheck{};
      status_.result->ok = false;
      status_.result->problem = opened.error().message;
      return status_;
    }
    reader_ = std::move(*opened);
  }
  store::DecisionLog& log = reader_ ? *reader_ : log_;
  worker_ = std::thread([this, &log] { run(log); });
  return status_;
}

void ChainVerification::run(store::DecisionLog& log) {
  store::VerifyOptions options;
  options.key = key_;
  options.check_policy = recorded_policy_check(log);
  options.progress = [this](int64_t checked, int64_t total) {
    checked_.store(checked, std::memory_order_relaxed);
    total_.store(total, std::memory_order_relaxed);
    return !stopping_.load(std::memory_order_relaxed);
  };
  store::ChainCheck check;
  if (checkpoints_ && !checkpoints_->file().empty() && key_) {
    auto anchors = read_checkpoints(checkpoints_->file(), checkpoints_->key(), key_->id());
    if (anchors)
      options.anchors = std::move(*anchors);
    else {
      check.ok = false;
      check.problem = anchors.error().message;
    }
  }
  if (check.ok) check = store::verify_chain(log, options);
  std::lock_guard lock(mutex_);
  status_.state = ChainVerificationStatus::State::Done;
  status_.finished_at = now_rfc3339();
  status_.checked = check.records;
  status_.total = std::max<int64_t>(total_, check.records);
  status_.result = std::move(check);
}

ChainVerificationStatus ChainVerification::status() const {
  std::lock_guard lock(mutex_);
  auto s = status_;
  if (s.state == ChainVerificationStatus::State::Running) {
    s.checked = checked_;
    s.total = total_;
  }
  return s;
}

}  // namespace kyc::service
