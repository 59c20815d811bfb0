#include "common/civil_date.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace kyc::common {

std::optional<int32_t> civil_day(int year, int month, int day) {
  using namespace std::chrono;
  if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  const year_month_day ymd{std::chrono::year{year},
                           std::chrono::month{static_cast<unsigned>(month)},
                           std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  return static_cast<int32_t>(sys_days{ymd}.time_since_epoch().count());
}

CivilDate civil_date(int32_t day) {
  using namespace std::chrono;
  const year_month_day ymd{sys_days{days{day}}};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

int32_t add_months(int32_t day, int32_t months) {
  using namespace std::chrono;
  const year_month_day ymd{sys_days{days{day}}};
  // In whole months since year 0, kept inside the calendar's range (std::chrono::year holds
  // -32767..32767): a policy may add years to a date as often as it likes.
  int64_t total = int64_t{static_cast<int>(ymd.year())} * 12 +
                  static_cast<unsigned>(ymd.month()) - 1 + months;
  total = std::clamp<int64_t>(total, -30000 * 12, 30000 * 12 + 11);
  const std::chrono::year y{static_cast<int>(total >= 0 ? total / 12 : (total - 11) / 12)};
  const std::chrono::month m{static_cast<unsigned>(total - int64_t{static_cast<int>(y)} * 12 + 1)};
  const std::chrono::day last = year_month_day_last{y, month_day_last{m}}.day();
  const year_month_day result{y, m, std::min(ymd.day(), last)};
  return static_cast<int32_t>(sys_days{result}.time_since_epoch().count());
}

int32_t whole_years_between(int32_t from, int32_t to) {
  const CivilDate a = civil_date(from), b = civil_date(to);
  int32_t years = b.year - a.year;
  // The estimate from the years alone is one too many when the anniversary is still ahead
  // (or, going backwards, one too few when it is already past).
  if (years > 0 && add_months(from, 12 * years) > to) --years;
  if (years < 0 && add_months(from, 12 * years) < to) ++years;
  return years;
}

std::optional<int> parse_digits(std::string_view digits) {
  if (digits.empty() || digits.size() > 9) return std::nullopt;
  int value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

std::optional<int32_t> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto y = parse_digits(s.substr(0, 4)), m = parse_digits(s.substr(5, 2)),
       d = parse_digits(s.substr(8, 2));
  if (!y || !m || !d) return std::nullopt;
  return civil_day(*y, *m, *d);
}

std::string format_date(int32_t days) {
  CivilDate c = civil_date(days);
  if (c.year < 0 || c.year > 9999) {  // far outside any document's dates: the general (slow) form
    char buf[24];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.year, c.month, c.day);
    return buf;
  }
  // Every decision writes several dates (audit facts, evidence): digits by hand, no printf.
  std::string out = "0000-00-00";
  auto digit = [](int v) { return static_cast<char>('0' + v % 10); };
  out[0] = digit(c.year / 1000), out[1] = digit(c.year / 100), out[2] = digit(c.year / 10);
  out[3] = digit(c.year), out[5] = digit(c.month / 10), out[6] = digit(c.month);
  out[8] = digit(c.day / 10), out[9] = digit(c.day);
  return out;
}

int32_t today_utc() {
  using namespace std::chrono;
  return static_cast<int32_t>(
      floor<std::chrono::days>(system_clock::now()).time_since_epoch().count());
}

}  // namespace kyc::common
