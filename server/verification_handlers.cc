// Reading recorded decisions: one, an account's (paged), and the replay of one.
#include <algorithm>
#include <boost/json.hpp>

#include "adapters/store/audit_log.h"
#include "dsl/policy_loader.h"
#include "server/api.h"
#include "service/replay.h"

namespace kyc::server {

namespace {

// The account's own status view: outcome and what to do, without facts or internal evidence.
boost::json::object status_view(const store::StoredRecord& s) {
  auto d = boost::json::parse(s.record.decision).as_object();
  boost::json::array reasons;
  for (const auto& r : d.at("reasons").as_array()) {
    const auto& o = r.as_object();
    reasons.push_back({{"code", o.at("code")},
                       {"title", o.at("title")},
                       {"detail", o.at("detail")},
                       {"action", o.at("action")}});
  }
  return {{"decision_id", s.record.decision_id},
          {"time", s.record.time},
          {"outcome", d.at("outcome")},
          {"reasons", std::move(reasons)}};
}

}  // namespace

HttpResponse handle_account_verifications(Api& api, const HttpRequest& request, Roles caller,
                                          RequestNotes&) {
  if (!api.audit())
    return problem(503, "audit-unavailable", "No audit log", "this service records no decisions");
  // Paging: `after` is the last sequence number the caller saw, `limit` how many it wants
  // (brought into 1..100). Both are whole numbers or the request is refused.
  auto after_param = whole_number(request.uri.param("after").value_or("0"), 0, INT64_MAX);
  auto limit_param = whole_number(request.uri.param("limit").value_or("20"), 0, INT64_MAX);
  if (!after_param || !limit_param)
    return problem(400, "bad-paging", "Bad paging parameters",
                   "after and limit must be whole numbers of 0 or more");
  int64_t after = *after_param;
  size_t limit = static_cast<size_t>(std::clamp<long long>(*limit_param, 1, 100));
  bool full = caller & (kAudit | kAdmin);
  auto records = api.audit()->account_records(request.params.at(0), after, limit + 1);
  bool more = records.size() > limit;
  if (more) records.pop_back();
  boost::json::array items;
  for (const auto& s : records) {
    if (full)
      items.push_back({{"seq", s.seq},
                       {"decision_id", s.record.decision_id},
                       {"time", s.record.time},
                       {"decision", boost::json::parse(s.record.decision)}});
    else
      items.push_back(status_view(s));
  }
  boost::json::object out{{"account_id", request.params.at(0)}, {"items", std::move(items)}};
  out["next_after"] = more ? boost::json::value(records.back().seq) : boost::json::value(nullptr);
  HttpResponse r;
  r.body = boost::json::serialize(out);
  return r;
}

HttpResponse handle_replay_verification(Api& api, const HttpRequest& request, Roles,
                                        RequestNotes&) {
  if (!api.audit())
    return problem(503, "audit-unavailable", "No audit log", "this service records no decisions");
  auto stored = api.audit()->find(request.params.at(0));
  if (!stored) return problem(404, "not-found", "Not found", "no decision " + request.params.at(0));
  std::string difference = service::replay_one(*api.audit(), *stored);
  HttpResponse r;
  r.body = boost::json::serialize(
      boost::json::object{{"decision_id", stored->record.decision_id},
                          {"match", difference.empty()},
                          {"difference", difference.empty() ? boost::json::value(nullptr)
                                                            : boost::json::value(difference)}});
  return r;
}

HttpResponse handle_replay_range(Api& api, const HttpRequest& request, Roles, RequestNotes&) {
  if (!api.audit())
    return problem(503, "audit-unavailable", "No audit log", "this service records no decisions");
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
    auto loaded = dsl::load_policy("candidate.policy", policy);
    if (!loaded.ok())
      return problem(422, "invalid-policy", "The candidate policy does not load", loaded.report());
    options.candidate = loaded.compiled;
  }
  auto report = service::replay(*api.audit(), options);
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
