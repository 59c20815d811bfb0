// Calendar dates as whole days since 1970-01-01 (std::chrono civil calendar).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kyc::engine {

// Parses exactly `YYYY-MM-DD` and rejects impossible dates such as 2024-02-30.
std::optional<int32_t> parse_date(std::string_view s);
std::string format_date(int32_t days);
// Today's date in UTC from the system clock.
int32_t today_utc();

}  // namespace kyc::engine
