// Replay over HTTP: one recorded decision against its recorded policy, or a time range against
// the recorded policies or a candidate (the impact of a change).
#include <boost/json.hpp>

#include "dsl/policy_loader.h"
#include "server/handlers/handlers.h"
#include "service/policy_store.h"
#include "service/impact_report.h"
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
    if (!decided) return problem(422, "not-replayable", "The record cannot be replayed",
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

HttpResponse replay_range(store::DecisionLog* log, service::PersonalSeal* seal,
                          service::PolicyStore& policies, const HttpRequest& request) {
  if (!log)
    return no_log_problem();
  boost::system::error_code ec;
  auto body = boost::json::parse(request.body.empty() ? std::string("{}") : request.body, ec);
  if (ec || !body.is_object())
    return problem(400, "malformed-json", "Malformed JSON", "the body must be a JSON object");
  const auto& o = body.get_object();
  service::ReplayOptions options;
  options.seal = seal;
  auto text = [&](const char* key) {
    auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
  };
  options.from = text("from");
  options.to = text("to");
  if (auto policy = text("policy"); !policy.empty()) {
    auto loaded = policies.load_candidate(policy);
    if (!loaded.ok())
      return problem(422, "invalid-policy", "The candidate policy does not load", loaded.report());
    options.candidate = loaded.compiled;
  }
  auto replayed = service::replay(*log, options);
  if (!replayed) return store_problem(replayed.error());
  auto out = service::report_json(*replayed, options);
  HttpResponse r;
  // With a candidate, the same report as a page to attach to a change request.
  if (text("format") == "html" && out.contains("impact")) {
    r.content_type = "text/html; charset=utf-8";
    r.body = service::impact_html(out.at("impact").as_object());
    return r;
  }
  r.body = boost::json::serialize(out);
  return r;
}

}  // namespace kyc::server
