// The query parameters the read routes share, checked the same way everywhere: a parameter
// that is not understood is a 400 problem that names it, never silently ignored (a typo in a
// shared search link would otherwise widen the search without a word).
#pragma once

#include <initializer_list>
#include <string>

#include "server/http/http_types.h"

namespace kyc::server {

HttpResponse bad_parameter(const std::string& detail);

// A 400 problem when the query has a parameter outside `known`.
OrAnswer<void> only_parameters(const RequestTarget& uri, std::initializer_list<const char*> known);

// The from/to of a time range: absent or empty is "" (unbounded); otherwise a date
// `YYYY-MM-DD` (its midnight, UTC) or `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, the form the log
// records, so that times compare as text. `to` must come after `from`.
struct TimeRange {
  std::string from, to;
};
OrAnswer<TimeRange> time_range(const RequestTarget& uri);
// The same check on a range given another way (POST /v1/replay's body): what is wrong, or "".
std::string time_range_problem(const TimeRange& range);

}  // namespace kyc::server
