// Calendar dates as whole days since 1970-01-01 (the std::chrono civil calendar): the one
// representation of a date in the engine (facts, `today`), the adapters (dates read from
// documents) and the store, so that a date never needs converting on its way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kyc::common {

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
};

// Days since 1970-01-01, or nullopt for an impossible date such as 2023-02-29 or month 13.
std::optional<int32_t> civil_day(int year, int month, int day);
CivilDate civil_date(int32_t day);

// `day` moved by whole calendar months; a day the target month does not have becomes its
// last (2024-01-31 + 1 month = 2024-02-29, 2024-02-29 + 12 months = 2025-02-28).
int32_t add_months(int32_t day, int32_t months);
// The largest whole n with `from + 12n months <= to` (an age: born 2008-02-29, 18 on
// 2026-02-28); negative when `to` is before `from`.
int32_t whole_years_between(int32_t from, int32_t to);

// Parses exactly `YYYY-MM-DD` and rejects impossible dates such as 2024-02-30.
std::optional<int32_t> parse_date(std::string_view s);
// `YYYY-MM-DD`.
std::string format_date(int32_t days);
// Today's date in UTC from the system clock.
int32_t today_utc();

// The value of a run of ASCII digits ("0712" -> 712); nullopt if empty, over 9 digits or any
// other character.
std::optional<int> parse_digits(std::string_view digits);

}  // namespace kyc::common
