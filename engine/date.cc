#include "engine/date.h"

#include <chrono>
#include <cstdio>

namespace kyc::engine {

namespace {
bool digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}
int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}
}  // namespace

std::optional<int32_t> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto y = s.substr(0, 4), m = s.substr(5, 2), d = s.substr(8, 2);
  if (!digits(y) || !digits(m) || !digits(d)) return std::nullopt;
  using namespace std::chrono;
  year_month_day ymd{year{to_int(y)}, month{static_cast<unsigned>(to_int(m))},
                     day{static_cast<unsigned>(to_int(d))}};
  if (!ymd.ok()) return std::nullopt;
  return static_cast<int32_t>(sys_days{ymd}.time_since_epoch().count());
}

std::string format_date(int32_t days) {
  using namespace std::chrono;
  year_month_day ymd{sys_days{std::chrono::days{days}}};
  int y = static_cast<int>(ymd.year());
  auto m = static_cast<unsigned>(ymd.month()), d = static_cast<unsigned>(ymd.day());
  if (y < 0 || y > 9999) {  // far outside any document's dates: the general (slow) form
    char buf[24];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
    return buf;
  }
  // Every decision writes several dates (audit facts, evidence): digits by hand, no printf.
  std::string out = "0000-00-00";
  auto digit = [](unsigned v) { return static_cast<char>('0' + v % 10); };
  auto uy = static_cast<unsigned>(y);
  out[0] = digit(uy / 1000), out[1] = digit(uy / 100), out[2] = digit(uy / 10), out[3] = digit(uy);
  out[5] = digit(m / 10), out[6] = digit(m), out[8] = digit(d / 10), out[9] = digit(d);
  return out;
}

int32_t today_utc() {
  using namespace std::chrono;
  return static_cast<int32_t>(
      floor<std::chrono::days>(system_clock::now()).time_since_epoch().count());
}

}  // namespace kyc::engine
