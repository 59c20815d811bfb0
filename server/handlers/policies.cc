// GET /v1/policies, POST /v1/policies/validate, POST /v1/admin/reload: the running policy, a
// candidate checked without running it, and a reload of the policy file. GET /v1/policies/text
// and /tests: the running policy's text and its test file, where the console's editor starts.
#include <boost/json.hpp>

#include "dsl/diagnostics_json.h"
#include "dsl/policy_loader.h"
#include "server/handlers/handlers.h"

namespace kyc::server {

HttpResponse list_policies(service::PolicyStore& policies) {
  auto active = policies.current();
  boost::json::array running;
  if (active) {
    const auto& p = *active->compiled;
    boost::json::array codes;
    for (const auto& r : p.reasons) codes.push_back(boost::json::string(r.code));
    running.push_back({{"name", p.name},
                        {"version", p.version},
                        {"sha256", p.sha256},
                        {"file", active->file},
                        {"loaded_at", active->loaded_at},
                        {"reason_codes", std::move(codes)}});
  }
  std::string error = policies.last_error();
  boost::json::object out{{"policies", std::move(running)},
                          {"last_reload_at", policies.last_reload_at()},
                          {"last_reload_error", error.empty() ? boost::json::value(nullptr)
                                                              : boost::json::value(error)}};
  HttpResponse r;
  r.body = boost::json::serialize(out);
  return r;
}

HttpResponse validate_policy(service::PolicyStore& policies, const HttpRequest& request) {
  auto loaded = policies.load_candidate(request.body);
  boost::json::object out{{"valid", loaded.ok()},
                          {"errors", loaded.diagnostics.error_count()},
                          {"diagnostics", dsl::diagnostics_json(*loaded.source, loaded.diagnostics)}};
  if (loaded.ok()) out["sha256"] = loaded.compiled->sha256;
  // Valid, and yet a reload or deploy would refuse it: said now, not at the deploy.
  if (std::string refusal = policies.version_refusal(loaded); !refusal.empty())
    out["activation_refused"] = refusal.substr(0, refusal.find_last_not_of('\n') + 1);
  // Codes are part of the API (backends and reports key on them): a code the running policy
  // has and the candidate does not is named, whether it was renamed or retired.
  if (auto active = policies.current(); active && loaded.ok()) {
    boost::json::array gone;
    for (const auto& r : active->compiled->reasons)
      if (loaded.compiled->find_reason(r.code) < 0) gone.push_back(boost::json::string(r.code));
    if (!gone.empty()) out["reason_codes_removed"] = std::move(gone);
  }
  HttpResponse r;  // 200 even when the candidate is invalid: the diagnostics are the answer
  r.body = boost::json::serialize(out);
  return r;
}

HttpResponse policy_text(service::PolicyStore& policies) {
  auto active = policies.current();
  if (!active) return problem(503, "not-ready", "Not ready", "no policy is loaded");
  HttpResponse r;
  r.content_type = "text/plain; charset=utf-8";
  r.body = *active->source_text;
  r.headers.emplace_back("X-Policy-Sha256", active->compiled->sha256);
  return r;
}

HttpResponse policy_tests_text(service::PolicyStore& policies) {
  auto text = policies.tests_text();
  if (!text)
    return problem(404, "no-tests", "No tests",
                   "there is no " + policies.tests_file() + " beside the policy");
  HttpResponse r;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(*text);
  return r;
}

HttpResponse reload_policy(service::PolicyStore& policies, const std::string& by) {
  bool ok = policies.reload("admin API", by);
  if (!ok)
    return problem(422, "reload-failed", "Reload failed; the running policy is kept",
                   policies.last_error());
  auto active = policies.current();
  HttpResponse r;
  r.body = boost::json::serialize(boost::json::object{
      {"reloaded", true}, {"sha256", active->compiled->sha256}, {"loaded_at", active->loaded_at}});
  return r;
}

}  // namespace kyc::server
