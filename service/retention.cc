#include "service/retention.h"

#include "common/civil_date.h"
#include "service/clock.h"

namespace kyc::service {

Result<RetentionPeriod> parse_retention(std::string_view text) {
  RetentionPeriod p;
  if (text.empty()) return p;
  auto bad = [&] {
    return common::fail("retention '" + std::string(text) +
                        "': expected a whole number and a unit, y, m or d (5y, 18m, 400d)");
  };
  char unit = text.back();
  auto n = common::parse_digits(text.substr(0, text.size() - 1));
  // Past 100 years it is not retention; the bound also keeps the arithmetic in range.
  if (!n || *n <= 0 || *n > 100 * 366) return bad();
  switch (unit) {
    case 'y':
      if (*n > 100) return bad();
      p.months = *n * 12;
      break;
    case 'm':
      if (*n > 1200) return bad();
      p.months = *n;
      break;
    case 'd':
      p.days = *n;
      break;
    default:
      return bad();
  }
  return p;
}

std::string retention_cutoff(int32_t today, const RetentionPeriod& period) {
  return common::format_date(common::add_months(today, -period.months) - period.days);
}

Result<RetentionSweep> sweep_retention(store::DecisionLog& log, PersonalSeal& seal,
                                       const std::string& cutoff, const std::string& now,
                                       size_t page) {
  RetentionSweep sweep;
  std::string after;
  for (;;) {
    auto idle = log.idle_accounts(cutoff, after, page);
    if (!idle) return idle.error();
    for (const auto& account : *idle) {
      if (seal.erased(account)) continue;
      auto erased = seal.erase_account(account, now);
      if (!erased) return erased.error();
      if (erased->outcome != store::Erasure::Outcome::already_erased) ++sweep.accounts_erased;
    }
    if (idle->size() < page) break;
    after = idle->back();
  }
  auto days = log.days_without_account(cutoff);
  if (!days) return days.error();
  for (const auto& day : *days) {
    auto erased = seal.erase_day(day, now);
    if (!erased) return erased.error();
    if (erased->outcome == store::Erasure::Outcome::key_destroyed) ++sweep.days_erased;
  }
  return sweep;
}

RetentionSweeper::RetentionSweeper(store::DecisionLog& log, PersonalSeal& seal,
                                   RetentionPeriod period, std::chrono::milliseconds interval,
                                   Report report)
    : log_(log), seal_(seal), period_(period), interval_(interval), report_(std::move(report)) {
  thread_ = std::thread([this] { run(); });
}

RetentionSweeper::~RetentionSweeper() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void RetentionSweeper::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    std::string cutoff = retention_cutoff(common::today_utc(), period_);
    report_(sweep_retention(log_, seal_, cutoff, now_rfc3339()), cutoff);
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace kyc::service
