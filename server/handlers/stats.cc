// GET /v1/stats: the console's overview of a time range (service/decision_stats.h), built
// from the log's hourly counts, so it costs the same over a day or a year of decisions.
#include <boost/json.hpp>

#include "common/civil_date.h"
#include "server/handlers/handlers.h"
#include "server/handlers/query_params.h"
#include "service/decision_stats.h"

namespace kyc::server {

namespace {

// Hour buckets over a long range would be a very long answer that no chart can draw.
constexpr int kMaxHourBucketDays = 31;

boost::json::array counted(const service::DecisionStats::Counts& counts, const char* name) {
  boost::json::array out;
  for (const auto& [key, n] : counts) out.push_back({{name, key}, {"count", n}});
  return out;
}

// The start of the first hour at or after `time` (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ): the
// counts are kept per hour, so a range counts the hours that start in it, and the answer says
// which those are (12:30 to 15:00 counts 13:00 to 15:00). Null for an open end.
boost::json::value hour_at_or_after(const std::string& time) {
  if (time.empty()) return nullptr;
  auto day = common::parse_date(time.substr(0, 10));
  if (!day) return nullptr;
  int hour = time.size() >= 13 ? common::parse_digits(time.substr(11, 2)).value_or(0) : 0;
  if (time.size() > 13 && time.find_first_of("123456789", 13) != std::string::npos) ++hour;
  if (hour == 24) ++*day, hour = 0;
  return boost::json::value(common::format_date(*day) + "T" + (hour < 10 ? "0" : "") +
                            std::to_string(hour) + ":00:00Z");
}

}  // namespace

HttpResponse get_stats(store::DecisionLog* log, const HttpRequest& request) {
  if (!log) return no_log_problem();
  if (auto known = only_parameters(request.uri, {"from", "to", "bucket"}); !known)
    return known.error();
  auto range = time_range(request.uri);
  if (!range) return range.error();
  std::string bucket_name = request.uri.param("bucket").value_or("day");
  if (bucket_name != "hour" && bucket_name != "day")
    return bad_parameter("bucket must be hour or day");
  auto bucket = bucket_name == "hour" ? store::Bucket::Hour : store::Bucket::Day;
  if (bucket == store::Bucket::Hour) {
    auto from = common::parse_date(range->from.substr(0, std::min<size_t>(10, range->from.size())));
    auto to = common::parse_date(range->to.substr(0, std::min<size_t>(10, range->to.size())));
    if (!from || !to || *to - *from > kMaxHourBucketDays)
      return bad_parameter("hour buckets need from and to at most " +
                           std::to_string(kMaxHourBucketDays) + " days apart");
  }
  auto stats = service::decision_stats(*log, range->from, range->to, bucket);
  if (!stats) return store_problem(stats.error());

  boost::json::array buckets;
  for (const auto& b : stats->buckets) {
    boost::json::object outcomes;
    for (const char* outcome : {"approve", "resubmit", "review", "reject"}) outcomes[outcome] = 0;
    for (const auto& [outcome, n] : b.outcomes) outcomes[outcome] = n;
    buckets.push_back({{"start", b.start}, {"total", b.total}, {"outcomes", std::move(outcomes)}});
  }
  boost::json::array activations;
  for (const auto& a : stats->activations)
    activations.push_back({{"time", a.time},
                           {"version", a.version},
                           {"sha256", a.sha256},
                           {"trigger", a.trigger},
                           {"by", a.by}});
  double share = stats->total ? static_cast<double>(stats->undetermined) / stats->total : 0.0;
  boost::json::object out{
      {"from", range->from.empty() ? boost::json::value(nullptr) : boost::json::value(range->from)},
      {"to", range->to.empty() ? boost::json::value(nullptr) : boost::json::value(range->to)},
      {"counted", {{"from", hour_at_or_after(range->from)}, {"to", hour_at_or_after(range->to)}}},
      {"bucket", bucket_name},
      {"total", stats->total},
      {"buckets", std::move(buckets)},
      {"reasons", counted(stats->reasons, "code")},
      {"undetermined",
       {{"decisions", stats->undetermined},
        {"share", share},
        {"reasons", counted(stats->undetermined_reasons, "code")},
        {"missing_facts", counted(stats->missing_facts, "fact")}}},
      {"activations", std::move(activations)}};
  HttpResponse r;
  r.body = boost::json::serialize(out);
  return r;
}

}  // namespace kyc::server
