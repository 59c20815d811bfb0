#include "server/handlers/query_params.h"

#include <algorithm>
#include <cctype>

#include "common/civil_date.h"

namespace kyc::server {

namespace {

bool digits(std::string_view s, size_t at, size_t n, int max) {
  if (at + n > s.size()) return false;
  auto v = common::parse_digits(s.substr(at, n));
  return v && *v <= max;
}

// RFC 3339 in UTC as the service's clock writes it (service/clock.h), or a date.
bool utc_time(std::string_view s) {
  if (s.size() < 10 || !common::parse_date(s.substr(0, 10))) return false;
  if (s.size() == 10) return true;
  if (s.size() < 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s.back() != 'Z')
    return false;
  if (!digits(s, 11, 2, 23) || !digits(s, 14, 2, 59) || !digits(s, 17, 2, 60)) return false;
  std::string_view rest = s.substr(19, s.size() - 20);  // ".fraction" or nothing
  if (rest.empty()) return true;
  return rest.size() >= 2 && rest[0] == '.' &&
         std::all_of(rest.begin() + 1, rest.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

}  // namespace

HttpResponse bad_parameter(const std::string& detail) {
  return problem(400, "bad-parameter", "Bad query parameter", detail);
}

OrAnswer<void> only_parameters(const RequestTarget& uri, std::initializer_list<const char*> known) {
  for (const auto& parameter : uri.query) {
    const std::string& name = parameter.first;
    if (std::none_of(known.begin(), known.end(), [&](const char* k) { return name == k; })) {
      std::string list;
      for (const char* k : known) list += (list.empty() ? "" : ", ") + std::string(k);
      return bad_parameter("unknown parameter \"" + name + "\"; this route takes " + list);
    }
  }
  return {};
}

std::string time_range_problem(const TimeRange& range) {
  for (auto [name, value] : {std::pair{"from", &range.from}, {"to", &range.to}})
    if (!value->empty() && !utc_time(*value))
      return std::string(name) + " must be a date YYYY-MM-DD or a UTC time " +
             "YYYY-MM-DDTHH:MM:SSZ, not \"" + *value + "\"";
  if (!range.from.empty() && !range.to.empty() && range.from >= range.to)
    return "from must be before to";
  return "";
}

OrAnswer<TimeRange> time_range(const RequestTarget& uri) {
  TimeRange range{uri.param("from").value_or(""), uri.param("to").value_or("")};
  if (std::string why = time_range_problem(range); !why.empty()) return bad_parameter(why);
  return range;
}

}  // namespace kyc::server
