// GET /healthz, /readyz, /metrics and /openapi.json. The API description is the checked-in
// docs/openapi.json, embedded at build time with the project's version (server/CMakeLists.txt);
// tests/server/openapi_test.cc checks it against the route table both ways, and CI validates
// it against the OpenAPI 3.1 schema.
#include <boost/json.hpp>
#include <string>
#include <string_view>

#include "server/handlers/handlers.h"

namespace kyc::server {

extern const std::string_view kOpenApiDocument;

HttpResponse healthz() {
  HttpResponse r;
  r.body = R"({"status":"ok"})";
  return r;
}

HttpResponse readyz(const service::PolicyStore& policies) {
  if (!policies.current()) return problem(503, "not-ready", "Not ready", "no policy is loaded");
  HttpResponse r;
  r.body = R"({"status":"ready"})";
  return r;
}

HttpResponse metrics_text(Metrics& metrics) {
  HttpResponse r;
  r.content_type = "text/plain; version=0.0.4";
  r.body = metrics.render();
  return r;
}

HttpResponse openapi_document() {
  HttpResponse r;
  r.body = std::string(kOpenApiDocument);
  return r;
}

HttpResponse store_problem(const common::Error& e) {
  return problem(503, "store-unavailable", "Store unavailable", e.message);
}

OrAnswer<store::StoredRecord> recorded_decision(store::DecisionLog* log,
                                                const std::string& decision_id) {
  if (!log)
    return problem(503, "audit-unavailable", "No audit log", "this service records no decisions");
  auto stored = log->get(decision_id);
  if (!stored) return store_problem(stored.error());
  if (!*stored) return problem(404, "not-found", "Not found", "no decision " + decision_id);
  return std::move(**stored);
}

}  // namespace kyc::server
