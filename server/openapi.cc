// GET /openapi.json: OpenAPI 3.1 for every route of Api::routes() (a test checks that none is
// missing), with the request and response schemas.
#include <boost/json.hpp>

#include "server/api.h"

namespace kyc::server {

namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

value ref(const char* name) {
  return object{{"$ref", std::string("#/components/schemas/") + name}};
}

object json_content(value schema) {
  return object{{"application/json", object{{"schema", std::move(schema)}}}};
}

object problems(std::initializer_list<int> statuses) {
  object out;
  for (int s : statuses)
    out[std::to_string(s)] = object{
        {"description", "problem details (RFC 9457)"},
        {"content", object{{"application/problem+json", object{{"schema", ref("Problem")}}}}}};
  return out;
}

object operation(const char* summary, object responses, bool secured, value request = nullptr) {
  object op{{"summary", summary}, {"responses", std::move(responses)}};
  if (secured) op["security"] = array{object{{"bearer", array{}}}};
  if (!request.is_null()) op["requestBody"] = std::move(request);
  return op;
}

object with(object base, object more) {
  for (auto& [k, v] : more) base[k] = v;
  return base;
}

value build() {
  object schemas;
  schemas["Problem"] = object{{"type", "object"},
                              {"required", array{"type", "title", "status"}},
                              {"properties", object{{"type", object{{"type", "string"}}},
                                                    {"title", object{{"type", "string"}}},
                                                    {"status", object{{"type", "integer"}}},
                                                    {"detail", object{{"type", "string"}}},
                                                    {"offset", object{{"type", "integer"}}},
                                                    {"errors", object{{"type", "array"}}}}}};
  schemas["EvaluateRequest"] = object{
      {"type", "object"},
      {"required", array{"facts"}},
      {"properties",
       object{{"facts", object{{"type", "object"},
                               {"description",
                                "facts by name: nested objects or dotted keys; null = missing. "
                                "Facts the service owns (account.*, primary.*, today) are taken "
                                "from an admin token only; anyone else's are listed in "
                                "ignored_facts"}}},
              {"account_id",
               object{{"type", "string"},
                      {"description",
                       "the account the document is for. The service fills account.* and "
                       "primary.* from its store for this account; without one they are "
                       "missing, the rules that read them are undetermined, and the decision "
                       "is never approve"}}},
              {"locale", object{{"type", "string"}, {"default", "en"}}}}}};
  object evidence{{"type", "object"},
                  {"properties", object{{"atom", object{{"type", "string"}}},
                                        {"facts", object{{"type", "object"}}}}}};
  object outcome{{"type", "string"}, {"enum", array{"approve", "resubmit", "review", "reject"}}};
  schemas["Decision"] = object{
      {"type", "object"},
      {"required",
       array{"decision_id", "outcome", "reasons", "undetermined", "policy", "evaluated_at"}},
      {"properties",
       object{
           {"decision_id", object{{"type", "string"}, {"description", "ULID: sortable by time"}}},
           {"outcome", outcome},
           {"reasons",
            object{{"type", "array"},
                   {"items",
                    object{{"type", "object"},
                           {"properties", object{{"code", object{{"type", "string"}}},
                                                 {"outcome", outcome},
                                                 {"title", object{{"type", "string"}}},
                                                 {"detail", object{{"type", "string"}}},
                                                 {"action", object{{"type", "string"}}},
                                                 {"evidence", object{{"type", "array"},
                                                                     {"items", evidence}}}}}}}}},
           {"undetermined",
            object{{"type", "array"},
                   {"items",
                    object{{"type", "object"},
                           {"properties",
                            object{{"code", object{{"type", "string"}}},
                                   {"outcome", outcome},
                                   {"missing", object{{"type", "array"},
                                                      {"items", object{{"type", "string"}}}}}}}}}}},
           {"ignored_facts",
            object{{"type", "array"},
                   {"items", object{{"type", "string"}}},
                   {"description",
                    "facts sent but not used: not declared by the policy, or owned by the "
                    "service (account.*, primary.*, today) and sent without the admin role"}}},
           {"policy", object{{"type", "object"},
                             {"properties", object{{"name", object{{"type", "string"}}},
                                                   {"version", object{{"type", "string"}}},
                                                   {"sha256", object{{"type", "string"}}}}}}},
           {"locale", object{{"type", "string"}}},
           {"today", object{{"type", "string"}, {"format", "date"}}},
           {"evaluated_at", object{{"type", "string"}, {"format", "date-time"}}},
           {"account_id", object{{"type", "string"}}}}}};
  schemas["Policies"] = object{
      {"type", "object"},
      {"properties",
       object{{"policies",
               object{{"type", "array"},
                      {"items", object{{"type", "object"},
                                       {"properties",
                                        object{{"name", object{{"type", "string"}}},
                                               {"version", object{{"type", "string"}}},
                                               {"sha256", object{{"type", "string"}}},
                                               {"file", object{{"type", "string"}}},
                                               {"loaded_at", object{{"type", "string"}}},
                                               {"reason_codes", object{{"type", "array"}}}}}}}}},
              {"last_reload_at", object{{"type", "string"}}},
              {"last_reload_error", object{{"type", array{"string", "null"}}}}}}};
  schemas["Validation"] = object{
      {"type", "object"},
      {"properties",
       object{{"valid", object{{"type", "boolean"}}},
              {"errors", object{{"type", "integer"}}},
              {"sha256", object{{"type", "string"}}},
              {"diagnostics",
               object{{"type", "array"},
                      {"items",
                       object{{"type", "object"},
                              {"properties", object{{"severity", object{{"type", "string"}}},
                                                    {"line", object{{"type", "integer"}}},
                                                    {"column", object{{"type", "integer"}}},
                                                    {"message", object{{"type", "string"}}},
                                                    {"text", object{{"type", "string"}}}}}}}}}}}};
  schemas["AuditRecord"] =
      object{{"type", "object"},
             {"properties", object{{"seq", object{{"type", "integer"}}},
                                   {"decision_id", object{{"type", "string"}}},
                                   {"time", object{{"type", "string"}, {"format", "date-time"}}},
                                   {"account_id", object{{"type", "string"}}},
                                   {"stage", object{{"type", "string"}}},
                                   {"today", object{{"type", "string"}, {"format", "date"}}},
                                   {"policy_sha256", object{{"type", "string"}}},
                                   {"facts", object{{"type", "object"}}},
                                   {"decision", ref("Decision")},
                                   {"hash", object{{"type", "string"}}}}}};
  schemas["AuditRecord"] =
      object{{"type", "object"},
             {"properties", object{{"seq", object{{"type", "integer"}}},
                                   {"decision_id", object{{"type", "string"}}},
                                   {"time", object{{"type", "string"}, {"format", "date-time"}}},
                                   {"account_id", object{{"type", "string"}}},
                                   {"stage", object{{"type", "string"}}},
                                   {"today", object{{"type", "string"}, {"format", "date"}}},
                                   {"policy_sha256", object{{"type", "string"}}},
                                   {"facts", object{{"type", "object"}}},
                                   {"decision", ref("Decision")},
                                   {"hash", object{{"type", "string"}}}}}};
  schemas["Status"] =
      object{{"type", "object"}, {"properties", object{{"status", object{{"type", "string"}}}}}};

  auto ok = [](const char* description, value schema) {
    return object{{"200", object{{"description", description},
                                 {"content", json_content(std::move(schema))}}}};
  };
  object paths;
  paths["/healthz"] =
      object{{"get", operation("The process is up", ok("up", ref("Status")), false)}};
  paths["/readyz"] =
      object{{"get", operation("A policy is loaded",
                               with(ok("ready", ref("Status")), problems({503})), false)}};
  paths["/metrics"] = object{
      {"get",
       operation(
           "Prometheus metrics",
           object{{"200",
                   object{{"description", "text exposition format"},
                          {"content", object{{"text/plain",
                                              object{{"schema", object{{"type", "string"}}}}}}}}}},
           false)}};
  paths["/openapi.json"] = object{
      {"get", operation("This document", ok("OpenAPI 3.1", object{{"type", "object"}}), false)}};
  // Both decision routes take an Idempotency-Key: a retry gets the first try's decision.
  object idempotency_key{
      {"name", "Idempotency-Key"},
      {"in", "header"},
      {"required", false},
      {"description",
       "1 to 255 printable ASCII characters. The same key from the same token within 24 hours "
       "returns the recorded decision (same decision_id, header Idempotent-Replayed: true) and "
       "counts one attempt; the same key with another request is a 422"},
      {"schema", object{{"type", "string"}, {"maxLength", 255}}}};
  paths["/v1/evaluate"] =
      object{{"post", with(operation("Evaluate facts against the running policy",
                                     with(ok("the decision", ref("Decision")),
                                          problems({400, 401, 403, 413, 415, 422, 503})),
                                     true,
                                     object{{"required", true},
                                            {"content", json_content(ref("EvaluateRequest"))}}),
                           object{{"parameters", array{idempotency_key}}})}};
  object upload{
      {"type", "object"},
      {"required", array{"metadata", "front"}},
      {"properties",
       object{{"metadata",
               object{{"type", "object"},
                      {"description", "JSON: account_id, stage, document_type (declared), locale"},
                      {"properties", object{{"account_id", object{{"type", "string"}}},
                                            {"stage", object{{"type", "string"}}},
                                            {"document_type", object{{"type", "string"}}},
                                            {"locale", object{{"type", "string"}}}}}}},
              {"front", object{{"type", "string"}, {"contentMediaType", "image/jpeg"}}},
              {"back", object{{"type", "string"}, {"contentMediaType", "image/jpeg"}}}}}};
  paths["/v1/verifications"] = object{
      {"post",
       with(operation(
                "Photos of a document in, decision out: the image adapter's facts, the account "
                "store's facts, the running policy; the audit log keeps each image's SHA-256",
                with(ok("the decision", ref("Decision")),
                     problems({400, 401, 403, 413, 415, 422, 503})),
                true,
                object{{"required", true},
                       {"content",
                        object{{"multipart/form-data", object{{"schema", std::move(upload)}}}}}}),
            object{{"parameters", array{idempotency_key}}})}};
  paths["/v1/verifications/{id}"] = object{
      {"get", with(operation("One recorded decision: facts as evaluated, clock, policy sha256, "
                             "decision, chain hash",
                             with(ok("the audit record", ref("AuditRecord")),
                                  problems({401, 403, 404, 503})),
                             true),
                   object{{"parameters", array{object{{"name", "id"},
                                                      {"in", "path"},
                                                      {"required", true},
                                                      {"schema", object{{"type", "string"}}}}}}})}};
  object id_param{
      {"name", "id"}, {"in", "path"}, {"required", true}, {"schema", object{{"type", "string"}}}};
  paths["/v1/verifications/{id}/replay"] = object{
      {"post",
       with(
           operation(
               "Re-evaluate one recorded decision with its recorded facts, clock and policy text",
               with(ok("match, or the exact difference",
                       object{{"type", "object"},
                              {"properties",
                               object{{"decision_id", object{{"type", "string"}}},
                                      {"match", object{{"type", "boolean"}}},
                                      {"difference", object{{"type", array{"string", "null"}}}}}}}),
                    problems({401, 403, 404, 503})),
               true),
           object{{"parameters", array{id_param}}})}};
  paths["/v1/verifications/{id}/notice"] = object{
      {"get",
       with(operation(
                "The e-mail for the user: subject, plain text and HTML from the policy's localized "
                "texts",
                with(ok("the notice",
                        object{{"type", "object"},
                               {"properties", object{{"decision_id", object{{"type", "string"}}},
                                                     {"locale", object{{"type", "string"}}},
                                                     {"subject", object{{"type", "string"}}},
                                                     {"text", object{{"type", "string"}}},
                                                     {"html", object{{"type", "string"}}}}}}),
                     problems({401, 403, 404, 422, 503})),
                true),
            object{
                {"parameters", array{id_param, object{{"name", "locale"},
                                                      {"in", "query"},
                                                      {"schema", object{{"type", "string"}}}}}}})}};
  paths["/v1/replay"] = object{
      {"post",
       operation(
           "Replay recorded decisions in a time range; with `policy`, the impact of a candidate "
           "policy",
           with(ok("the report",
                   object{{"type", "object"},
                          {"properties", object{{"records", object{{"type", "integer"}}},
                                                {"matched", object{{"type", "integer"}}},
                                                {"changed", object{{"type", "integer"}}},
                                                {"mismatches", object{{"type", "integer"}}},
                                                {"transitions", object{{"type", "object"}}},
                                                {"reasons", object{{"type", "object"}}}}}}),
                problems({400, 401, 403, 422, 503})),
           true,
           object{{"content", json_content(object{
                                  {"type", "object"},
                                  {"properties", object{{"policy", object{{"type", "string"}}},
                                                        {"from", object{{"type", "string"}}},
                                                        {"to", object{{"type", "string"}}}}}})}})}};
  paths["/v1/accounts/{id}/primary"] = object{
      {"put",
       with(operation(
                "Set an account's primary-KYC data; the document number is stored only as a keyed "
                "hash",
                with(ok("stored", object{{"type", "object"}}), problems({400, 401, 403, 422, 503})),
                true,
                object{{"required", true},
                       {"content",
                        json_content(object{
                            {"type", "object"},
                            {"required", array{"full_name", "birth_date", "country",
                                               "document_type", "document_number"}},
                            {"properties",
                             object{{"full_name", object{{"type", "string"}}},
                                    {"birth_date", object{{"type", "string"}, {"format", "date"}}},
                                    {"country", object{{"type", "string"}}},
                                    {"document_type", object{{"type", "string"}}},
                                    {"document_number", object{{"type", "string"}}}}}})}}),
            object{{"parameters", array{id_param}}})}};
  paths["/v1/accounts/{id}/verifications"] = object{
      {"get",
       with(operation(
                "An account's decisions, oldest first, paged; the evaluate role sees the status "
                "view "
                "(outcome, titles, actions) without facts or evidence",
                with(ok("a page", object{{"type", "object"},
                                         {"properties",
                                          object{{"account_id", object{{"type", "string"}}},
                                                 {"items", object{{"type", "array"}}},
                                                 {"next_after",
                                                  object{{"type", array{"integer", "null"}}}}}}}),
                     problems({400, 401, 403, 503})),
                true),
            object{{"parameters", array{id_param,
                                        object{{"name", "after"},
                                               {"in", "query"},
                                               {"schema", object{{"type", "integer"}}}},
                                        object{{"name", "limit"},
                                               {"in", "query"},
                                               {"schema", object{{"type", "integer"},
                                                                 {"minimum", 1},
                                                                 {"maximum", 100}}}}}}})}};
  paths["/v1/policies"] =
      object{{"get", operation("The running policy and the last reload",
                               with(ok("policies", ref("Policies")), problems({401, 403})), true)}};
  paths["/v1/policies/validate"] = object{
      {"post",
       operation("Check a candidate policy (200 even when it is invalid)",
                 with(ok("diagnostics", ref("Validation")), problems({401, 403, 413})), true,
                 object{{"required", true},
                        {"content", object{{"text/plain",
                                            object{{"schema", object{{"type", "string"}}}}}}}})}};
  paths["/v1/admin/reload"] =
      object{{"post",
              operation("Reload the policy from disk; a failure keeps the running policy",
                        with(ok("reloaded", object{{"type", "object"}}), problems({401, 403, 422})),
                        true)}};
  return object{
      {"openapi", "3.1.0"},
      {"info", object{{"title", "kycd"},
                      {"version", "0.1.0"},
                      {"description",
                       "Why a KYC document submission fails, and what the user should do."}}},
      {"paths", std::move(paths)},
      {"components", object{{"schemas", std::move(schemas)},
                            {"securitySchemes",
                             object{{"bearer", object{{"type", "http"}, {"scheme", "bearer"}}}}}}}};
}

}  // namespace

HttpResponse handle_openapi(Api&, const HttpRequest&, Roles, RequestNotes&) {
  static const std::string document = boost::json::serialize(build());
  HttpResponse r;
  r.body = document;
  return r;
}

}  // namespace kyc::server
