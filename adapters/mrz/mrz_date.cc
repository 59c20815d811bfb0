#include "adapters/mrz/mrz_date.h"

#include "common/civil_date.h"

namespace kyc::text {

namespace {

struct YearlessDate {
  int yy = 0;
  int month = 0;
  int day = 0;
};

std::optional<YearlessDate> split(std::string_view yymmdd) {
  if (yymmdd.size() != 6) return std::nullopt;
  auto yy = common::parse_digits(yymmdd.substr(0, 2));
  auto mm = common::parse_digits(yymmdd.substr(2, 2));
  auto dd = common::parse_digits(yymmdd.substr(4, 2));
  if (!yy || !mm || !dd) return std::nullopt;
  return YearlessDate{*yy, *mm, *dd};
}

// The same calendar day `years` later; 29 February becomes 28 February in a common year.
int32_t shift_years(int32_t day, int years) {
  const common::CivilDate d = common::civil_date(day);
  if (auto shifted = common::civil_day(d.year + years, d.month, d.day)) return *shifted;
  if (auto shifted = common::civil_day(d.year + years, d.month, d.day - 1)) return *shifted;
  return day;  // only for days beyond the calendar's range of years
}

int century_of(int32_t day) {
  const int year = common::civil_date(day).year;
  return year - ((year % 100) + 100) % 100;
}

}  // namespace

std::optional<int32_t> resolve_birth_date(std::string_view yymmdd, int32_t evaluation_day) {
  auto date = split(yymmdd);
  if (!date) return std::nullopt;
  const int century = century_of(evaluation_day);
  for (int base : {century, century - 100}) {
    auto day = common::civil_day(base + date->yy, date->month, date->day);
    if (day && *day <= evaluation_day) return day;
  }
  return std::nullopt;
}

std::optional<int32_t> resolve_expiry_date(std::string_view yymmdd, int32_t evaluation_day) {
  auto date = split(yymmdd);
  if (!date) return std::nullopt;
  const int32_t earliest_excluded = shift_years(evaluation_day, -80);
  const int32_t latest = shift_years(evaluation_day, 20);
  const int century = century_of(evaluation_day);
  for (int base : {century - 100, century, century + 100}) {
    auto day = common::civil_day(base + date->yy, date->month, date->day);
    if (day && *day > earliest_excluded && *day <= latest) return day;
  }
  return std::nullopt;
}

}  // namespace kyc::text
