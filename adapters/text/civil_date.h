// Calendar dates as whole days since 1970-01-01, the representation the engine uses
// (engine/date.h), so that dates read from documents can become facts without conversion.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace kyc::text {

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
};

// Days since 1970-01-01, or nullopt for an impossible date such as 2023-02-29 or month 13.
std::optional<int32_t> civil_day(int year, int month, int day);
CivilDate civil_date(int32_t day);

// The value of a run of ASCII digits ("0712" -> 712); nullopt if empty or any other character.
// Callers pass at most a few digits, so the value cannot overflow.
std::optional<int> parse_digits(std::string_view digits);

}  // namespace kyc::text
