// Retention: personal data is kept no longer than a set period after an account's last
// record (`kyc serve --retention 5y`). A sweep erases (personal_seal.h: destroys the data key
// of) every account whose last record is older than the cutoff, and the day keys of decisions
// made without an account before it. The records stay, chained; their personal facts become
// unreadable, as after a requested erasure.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "common/result.h"
#include "service/personal_seal.h"
#include "store/decision_log.h"

namespace kyc::service {

struct RetentionPeriod {
  int32_t months = 0;  // years are 12 months
  int32_t days = 0;
  bool forever() const { return months == 0 && days == 0; }
};

// "5y", "18m", "400d" (a whole number and a unit); "" keeps forever. An error names the text.
Result<RetentionPeriod> parse_retention(std::string_view text);

// The first day kept (YYYY-MM-DD): records before it are past retention on day `today`
// (days since 1970-01-01). Months are calendar months (2026-03-31 less 1m is 2026-02-28).
std::string retention_cutoff(int32_t today, const RetentionPeriod& period);

struct RetentionSweep {
  int64_t accounts_erased = 0;  // accounts erased by this sweep (erased ones before not counted)
  int64_t days_erased = 0;      // day keys destroyed
};

// One sweep up to `cutoff`; `now` is recorded as the erasure time. Accounts are read `page`
// at a time, so a sweep over millions holds no more than that in memory.
Result<RetentionSweep> sweep_retention(store::DecisionLog& log, PersonalSeal& seal,
                                       const std::string& cutoff, const std::string& now,
                                       size_t page = 1000);

// Sweeps at start and then every `interval` on a thread of its own, until destroyed.
class RetentionSweeper {
 public:
  using Report = std::function<void(const Result<RetentionSweep>&, const std::string& cutoff)>;
  RetentionSweeper(store::DecisionLog& log, PersonalSeal& seal, RetentionPeriod period,
                   std::chrono::milliseconds interval, Report report);
  ~RetentionSweeper();
  RetentionSweeper(const RetentionSweeper&) = delete;
  RetentionSweeper& operator=(const RetentionSweeper&) = delete;

 private:
  void run();

  store::DecisionLog& log_;
  PersonalSeal& seal_;
  RetentionPeriod period_;
  std::chrono::milliseconds interval_;
  Report report_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // under mutex_
  std::thread thread_;
};

}  // namespace kyc::service
