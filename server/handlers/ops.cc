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

HttpResponse readyz(const service::PolicyStore& policies, const store::DecisionLog* log) {
  if (!policies.current()) return problem(503, "not-ready", "Not ready", "no policy is loaded");
  if (auto why = log ? log->unavailable() : std::nullopt)
    return problem(503, "not-ready", "Not ready", *why);
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

}  // namespace kyc::server
