// Change control for the console, read from the audit log: GET /v1/policies/history (every
// activation), /diff (what changed between two recorded policies) and /recorded/{sha256} (a
// policy as it ran, with the lines of each reason, which the console marks beside a decision).
// Named and shown as `kyc policy history|diff` do (service/policy_history.h).
#include <boost/json.hpp>

#include "dsl/parser.h"
#include "dsl/reason_lines.h"
#include "server/handlers/handlers.h"
#include "server/handlers/query_params.h"
#include "service/policy_history.h"

namespace kyc::server {

namespace {

HttpResponse unknown_policy(const std::string& detail) {
  return problem(404, "unknown-policy", "Unknown policy", detail);
}

}  // namespace

HttpResponse get_policy_history(store::DecisionLog* log) {
  if (!log) return no_log_problem();
  auto history = service::policy_history(*log);
  if (!history) return store_problem(history.error());
  boost::json::array activations;
  for (const auto& a : *history) activations.push_back(service::activation_json(a));
  HttpResponse r;
  r.body = boost::json::serialize(boost::json::object{{"activations", std::move(activations)}});
  return r;
}

HttpResponse get_policy_diff(store::DecisionLog* log, const HttpRequest& request) {
  if (auto known = only_parameters(request.uri, {"from", "to"}); !known) return known.error();
  std::string names[2];
  for (int i = 0; i < 2; ++i) {
    const char* key = i == 0 ? "from" : "to";
    names[i] = request.uri.param(key).value_or("");
    if (names[i].empty())
      return bad_parameter(std::string(key) + " is required: a version or a sha256 prefix (" +
                           std::to_string(service::kMinShaPrefix) + " digits at least)");
  }
  if (!log) return no_log_problem();
  auto history = service::policy_history(*log);
  if (!history) return store_problem(history.error());
  const service::Activation* ends[2];
  service::RecordedSource policies[2];
  for (int i = 0; i < 2; ++i) {
    ends[i] = service::find_activation(*history, names[i]);
    if (!ends[i])
      return unknown_policy("no activation of a policy with version or sha256 '" + names[i] + "'");
    auto recorded = service::recorded_source(*log, ends[i]->sha256);
    if (!recorded) return store_problem(recorded.error());
    if (!*recorded) return unknown_policy("policy " + ends[i]->sha256 + " is not in the log");
    policies[i] = std::move(**recorded);
  }
  auto end = [](const service::Activation& a) {
    return boost::json::object{{"version", a.version}, {"sha256", a.sha256}};
  };
  HttpResponse r;
  r.body = boost::json::serialize(boost::json::object{
      {"from", end(*ends[0])},
      {"to", end(*ends[1])},
      {"diff", service::policy_diff(*ends[0], policies[0], *ends[1], policies[1])}});
  return r;
}

HttpResponse get_recorded_policy(store::DecisionLog* log, const HttpRequest& request) {
  if (!log) return no_log_problem();
  const std::string& sha256 = request.params.at(0);
  auto recorded = service::recorded_source(*log, sha256);
  if (!recorded) return store_problem(recorded.error());
  if (!*recorded) return unknown_policy("policy " + sha256 + " is not in the log");
  const auto& policy = **recorded;
  boost::json::array files;
  for (const auto& f : policy.files) files.push_back(boost::json::string(f.path));
  // Its reasons' lines, from the text as recorded: it ran, so it parses.
  dsl::SourceFile source("recorded.policy", policy.text);
  dsl::Diagnostics ignored;
  dsl::Policy parsed = dsl::parse_policy(source, ignored);
  boost::json::object reasons;
  for (const auto& r : dsl::reason_lines(parsed, source))
    reasons[r.code] = {
        {"line", r.line},
        {"end_line", r.end_line},
        {"when_line", r.when_line ? boost::json::value(r.when_line) : boost::json::value(nullptr)}};
  HttpResponse r;
  r.body = boost::json::serialize(boost::json::object{{"sha256", policy.sha256},
                                                      {"text", policy.text},
                                                      {"files", std::move(files)},
                                                      {"reasons", std::move(reasons)}});
  return r;
}

}  // namespace kyc::server
