// Replay over HTTP: one recorded decision against its recorded policy, or a time range against
// the recorded policies or a candidate (the impact of a change).
#include <boost/json.hpp>

#include "dsl/policy_loader.h"
#include "server/handlers/handlers.h"
#include "server/handlers/query_params.h"
#include "service/impact_report.h"
#include "service/policy_store.h"
#include "service/replay.h"

namespace kyc::server {

HttpResponse replay_verification(store::DecisionLog* log, service::PersonalSeal* seal,
                                 service::PolicyStore& policies, const HttpRequest& request) {
  auto stored = recorded_decision(log, request.params.at(0));
  if (!stored) return stored.error();
  // With a candidate `policy`: the decision it would have made, beside the one recorded.
  boost::system::error_code ec;
  auto body = boost::json::parse(request.body.empty() ? std::string("{}") : request.body, ec);
  if (ec || !body.is_object())
    return problem(400, "malformed-json", "Malformed JSON", "the body must be a JSON object");
  if (auto* policy = body.get_object().if_contains("policy")) {
    if (!policy->is_string())
      return problem(400, "malformed-json", "Malformed JSON", "`policy` must be a string");
    auto loaded = policies.load_candidate(std::string(policy->get_string()));
    if (!loaded.ok())
      return problem(422, "invalid-policy", "The candidate policy does not load", loaded.report());
    auto decided = service::replay_decision(*stored, *loaded.compiled, "", seal);
    if (!decided)
      return problem(422, "not-replayable", "The record cannot be replayed",
                     decided.error().message);
    auto before = boost::json::parse(stored->record.decision);
    auto after = boost::json::parse(decided->decision);
    HttpResponse r;
    r.body = boost::json::serialize(boost::json::object{
        {"decision_id", stored->record.decision_id},
        {"same_outcome", before.at("outcome") == after.at("outcome")},
        {"recorded", std::move(before)},
        {"candidate", std::move(after)},
        {"erased_facts", boost::json::array(decided->erased.begin(), decided->erased.end())}});
    return r;
  }
  auto one = service::replay_one(*log, *stored, seal);
  const std::string& difference = one.difference;
  // An erased record is checked without its personal facts: `erased` names them.
  boost::json::object out{{"decision_id", stored->record.decision_id},
                          {"match", difference.empty()},
                          {"difference", difference.empty() ? boost::json::value(nullptr)
                                                            : boost::json::value(difference)}};
  if (!one.erased.empty())
    out["erased"] = {{"facts", boost::json::array(one.erased.begin(), one.erased.end())},
                     {"erased_at", one.erased_at}};
  HttpResponse r;
  r.body = boost::json::serialize(out);
  return r;
}

namespace {

// The body's fields, checked on the IO thread: a mistake is answered at once, not after a
// queue. Every field is optional; one of the wrong type is an error, never ignored (a `from`
// of 5 would otherwise replay the whole log).
struct RangeRequest {
  TimeRange range;
  std::string policy, format;
};

OrAnswer<RangeRequest> read_range_request(const HttpRequest& request) {
  boost::system::error_code ec;
  auto body = boost::json::parse(request.body.empty() ? std::string("{}") : request.body, ec);
  if (ec || !body.is_object())
    return problem(400, "malformed-json", "Malformed JSON", "the body must be a JSON object");
  RangeRequest out;
  for (const auto& [key, value] : body.get_object()) {
    std::string* field = key == "from"     ? &out.range.from
                         : key == "to"     ? &out.range.to
                         : key == "policy" ? &out.policy
                         : key == "format" ? &out.format
                                           : nullptr;
    if (!field)
      return problem(422, "invalid-request", "Invalid request",
                     "unknown field \"" + std::string(key) + "\"; the body takes from, to, " +
                         "policy and format");
    if (!value.is_string())
      return problem(422, "invalid-request", "Invalid request",
                     "\"" + std::string(key) + "\" must be a string");
    *field = std::string(value.get_string());
  }
  if (std::string why = time_range_problem(out.range); !why.empty())
    return problem(422, "invalid-request", "Invalid request", why);
  if (!out.format.empty() && out.format != "json" && out.format != "html")
    return problem(422, "invalid-request", "Invalid request", "format is json or html");
  return out;
}

HttpResponse replayed_range(store::DecisionLog& log, const RangeRequest& request,
                            service::PersonalSeal* seal, service::PolicyStore& policies,
                            const BulkStop& stop) {
  service::ReplayOptions options;
  options.seal = seal;
  options.from = request.range.from;
  options.to = request.range.to;
  options.stop = std::cref(stop);
  if (!request.policy.empty()) {
    auto loaded = policies.load_candidate(request.policy);
    if (!loaded.ok())
      return problem(422, "invalid-policy", "The candidate policy does not load", loaded.report());
    options.candidate = loaded.compiled;
  }
  auto replayed = service::replay(log, options);
  if (!replayed) return stop() ? stop.answer() : store_problem(replayed.error());
  auto out = service::report_json(*replayed, options);
  HttpResponse r;
  // With a candidate, the same report as a page to attach to a change request.
  if (request.format == "html" && out.contains("impact")) {
    r.content_type = "text/html; charset=utf-8";
    r.body = service::impact_html(out.at("impact").as_object());
    return r;
  }
  r.body = boost::json::serialize(out);
  return r;
}

}  // namespace

void replay_range(const BulkRead& bulk, service::PersonalSeal* seal,
                  service::PolicyStore& policies, std::shared_ptr<Exchange> ex) {
  if (!bulk.log) return ex->respond(no_log_problem());
  auto read = read_range_request(ex->request);
  if (!read) return ex->respond(read.error());
  bulk.submit(ex, [request = std::move(*read), seal, &policies](store::DecisionLog& log,
                                                                const BulkStop& stop) {
    return replayed_range(log, request, seal, policies, stop);
  });
}

}  // namespace kyc::server
