// Replay over HTTP: one recorded decision against its recorded policy, or a time range against
// the recorded policies or a candidate (the impact of a change).
#include <boost/json.hpp>

#include "dsl/policy_loader.h"
#include "server/handlers/handlers.h"
#include "service/policy_store.h"
#include "service/replay.h"

namespace kyc::server {

HttpResponse replay_verification(store::DecisionLog* log, const HttpRequest& request) {
  auto stored = recorded_decision(log, request.params.at(0));
  if (!stored) return stored.error();
  std::string difference = service::replay_one(*log, *stored);
  HttpResponse r;
  r.body = boost::json::serialize(
      boost::json::object{{"decision_id", stored->record.decision_id},
                          {"match", difference.empty()},
                          {"difference", difference.empty() ? boost::json::value(nullptr)
                                                            : boost::json::value(difference)}});
  return r;
}

HttpResponse replay_range(store::DecisionLog* log, service::PolicyStore& policies,
                          const HttpRequest& request) {
  if (!log)
    return no_log_problem();
  boost::system::error_code ec;
  auto body = boost::json::parse(request.body.empty() ? std::string("{}") : request.body, ec);
  if (ec || !body.is_object())
    return problem(400, "malformed-json", "Malformed JSON", "the body must be a JSON object");
  const auto& o = body.get_object();
  service::ReplayOptions options;
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
  auto& report = *replayed;
  boost::json::object transitions;
  for (const auto& [key, n] : report.transitions) {
    boost::json::array examples;
    for (const auto& id : report.transition_examples[key])
      examples.push_back(boost::json::string(id));
    transitions[key] = boost::json::object{{"decisions", n}, {"examples", std::move(examples)}};
  }
  boost::json::object reasons;
  for (const auto& [code, change] : report.reasons)
    reasons[code] =
        boost::json::object{{"newly_fired", change.first}, {"no_longer_fired", change.second}};
  boost::json::array mismatches;
  for (const auto& m : report.mismatches) mismatches.push_back(boost::json::string(m));
  HttpResponse r;
  r.body =
      boost::json::serialize(boost::json::object{{"records", report.records},
                                                 {"matched", report.matched},
                                                 {"changed", report.changed},
                                                 {"mismatches", report.mismatch_count},
                                                 {"transitions", std::move(transitions)},
                                                 {"reasons", std::move(reasons)},
                                                 {"mismatch_examples", std::move(mismatches)}});
  return r;
}

}  // namespace kyc::server
