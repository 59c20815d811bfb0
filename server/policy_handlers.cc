// GET /v1/policies, POST /v1/policies/validate, POST /v1/admin/reload.
#include <boost/json.hpp>

#include "adapters/store/audit_log.h"
#include "dsl/policy_loader.h"
#include "server/api.h"

namespace kyc::server {

HttpResponse handle_list_policies(Api& api, const HttpRequest&, Roles, RequestNotes&) {
  auto active = api.policies().current();
  boost::json::array policies;
  if (active) {
    const auto& p = *active->compiled;
    boost::json::array codes;
    for (const auto& r : p.reasons) codes.push_back(boost::json::string(r.code));
    policies.push_back({{"name", p.name},
                        {"version", p.version},
                        {"sha256", p.sha256},
                        {"file", active->file},
                        {"loaded_at", active->loaded_at},
                        {"reason_codes", std::move(codes)}});
  }
  std::string error = api.policies().last_error();
  boost::json::object out{{"policies", std::move(policies)},
                          {"last_reload_at", api.policies().last_reload_at()},
                          {"last_reload_error", error.empty() ? boost::json::value(nullptr)
                                                              : boost::json::value(error)}};
  HttpResponse r;
  r.body = boost::json::serialize(out);
  return r;
}

HttpResponse handle_validate_policy(Api&, const HttpRequest& request, Roles, RequestNotes&) {
  auto loaded = dsl::load_policy("candidate.policy", request.body);
  boost::json::array diagnostics;
  for (const auto& d : loaded.diagnostics.items())
    diagnostics.push_back({{"severity", d.severity == dsl::Severity::Error ? "error" : "warning"},
                           {"line", d.location.line},
                           {"column", d.location.column},
                           {"message", d.message},
                           {"text", dsl::format_diagnostic(*loaded.source, d)}});
  boost::json::object out{{"valid", loaded.ok()},
                          {"errors", loaded.diagnostics.error_count()},
                          {"diagnostics", std::move(diagnostics)}};
  if (loaded.ok()) out["sha256"] = loaded.compiled->sha256;
  HttpResponse r;  // 200 even when the candidate is invalid: the diagnostics are the answer
  r.body = boost::json::serialize(out);
  return r;
}

HttpResponse handle_reload(Api& api, const HttpRequest&, Roles, RequestNotes&) {
  bool ok = api.policies().reload();
  if (!ok)
    return problem(422, "reload-failed", "Reload failed; the running policy is kept",
                   api.policies().last_error());
  auto active = api.policies().current();
  HttpResponse r;
  r.body = boost::json::serialize(boost::json::object{
      {"reloaded", true}, {"sha256", active->compiled->sha256}, {"loaded_at", active->loaded_at}});
  return r;
}

HttpResponse handle_get_verification(Api& api, const HttpRequest& request, Roles, RequestNotes&) {
  if (!api.audit())
    return problem(503, "audit-unavailable", "No audit log", "this service records no decisions");
  const std::string& id = request.params.at(0);
  auto stored = api.audit()->find(id);
  if (!stored) return problem(404, "not-found", "Not found", "no decision " + id);
  boost::json::object out{{"seq", stored->seq},
                          {"decision_id", stored->record.decision_id},
                          {"time", stored->record.time},
                          {"account_id", stored->record.account_id},
                          {"stage", stored->record.stage},
                          {"today", stored->record.today},
                          {"policy_sha256", stored->record.policy_sha256},
                          {"facts", boost::json::parse(stored->record.facts)},
                          {"decision", boost::json::parse(stored->record.decision)},
                          {"hash", stored->hash}};
  HttpResponse r;
  r.body = boost::json::serialize(out);
  return r;
}

}  // namespace kyc::server
