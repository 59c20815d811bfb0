// The audit chain checked from the console: one check at a time, in the background, with its
// progress to poll. Checking a large log takes minutes; no request waits for it, and it reads
// through its own read-only handle so that the service's searches and replays are not held up
// behind it.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "store/chain.h"
#include "store/decision_log.h"

namespace kyc::service {

class Checkpoints;

struct ChainVerificationStatus {
  enum class State { Idle, Running, Done };
  State state = State::Idle;
  int64_t checked = 0, total = 0;
  std::string started_at, finished_at, by;  // by: the token's name that asked
  std::optional<store::ChainCheck> result;  // when Done
};

class ChainVerification {
 public:
  // `key`: the chain key (a keyed log needs it); `checkpoints`, when set, has its file's
  // checkpoints checked against the log too.
  ChainVerification(store::DecisionLog& log, store::OpenLogReader open_reader,
                    const store::ChainKey* key = nullptr, const Checkpoints* checkpoints = nullptr);
  ~ChainVerification();  // stops a running check and waits for it

  // Starts a check unless one is running (then it is the one reported): the status after.
  ChainVerificationStatus start(const std::string& by);
  ChainVerificationStatus status() const;

 private:
  void run(store::DecisionLog& log);

  store::DecisionLog& log_;
  store::OpenLogReader open_reader_;
  const store::ChainKey* key_;
  const Checkpoints* checkpoints_;
  mutable std::mutex mutex_;
  ChainVerificationStatus status_;
  std::atomic<int64_t> checked_{0}, total_{0};
  std::atomic<bool> stopping_{false};
  std::unique_ptr<store::DecisionLog> reader_;
  std::thread worker_;
};

const char* state_name(ChainVerificationStatus::State s);

}  // namespace kyc::service
