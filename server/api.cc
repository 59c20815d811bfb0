#include "server/api.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <stdexcept>

#include <boost/json.hpp>

#include "common/utf8.h"
#include "server/handlers/handlers.h"
#include "server/http/bearer_token.h"

namespace kyc::server {

namespace {

constexpr Roles kAnyRole = kEvaluate | kAudit | kAdmin;
constexpr Roles kEvaluateOrAdmin = kEvaluate | kAdmin;
constexpr Roles kAuditOrAdmin = kAudit | kAdmin;

// True when the query string has a parameter that looks like a credential, in any case and
// however it was percent-encoded.
bool query_has_token(const RequestTarget& target) {
  for (const auto& [key, value] : target.query) {
    std::string lower(key);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const char* credential : {"token", "access_token", "bearer", "api_key"})
      if (lower == credential) return true;
  }
  return false;
}

}  // namespace

void throw_exception_from_error(const HttpResponse& answer, const boost::source_location&) {
  throw std::runtime_error("unchecked answer " + std::to_string(answer.status) + ": " +
                           answer.body);
}

// The detail often quotes what the caller sent (a part's name, a path, a header), and a byte
// that is not UTF-8 there would make the whole answer text a strict client cannot parse.
HttpResponse problem(int status, const std::string& slug, const std::string& title,
                     const std::string& detail, boost::json::object extra) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/problem+json";
  boost::json::object body{{"type", "https://kycd.dev/problems/" + slug},
                           {"title", title},
                           {"status", status},
                           {"detail", common::repaired_utf8(detail)}};
  for (auto& [name, value] : extra) body[name] = std::move(value);
  r.body = boost::json::serialize(body);
  return r;
}

Api::~Api() { stop_bulk_reads_ = true; }

void Api::end_bulk_reads() {
  stop_bulk_reads_ = true;
  std::call_once(bulk_pool_once_, [] {});  // never started: nothing to wait for
  bulk_pool_.reset();                      // runs what is queued (each ends at once), joins
}

BulkRead Api::bulk_read() {
  std::call_once(bulk_pool_once_, [this] {
    bulk_pool_ = std::make_unique<WorkPool>(1, options_.limits.bulk_read_queue);
  });
  return {log(), decisions_.stores().open_reader, *bulk_pool_, stop_bulk_reads_};
}

WorkPool& Api::image_pool() {
  std::call_once(image_pool_once_, [this] {
    image_pool_ =
        std::make_unique<WorkPool>(options_.limits.image_threads, options_.limits.image_queue);
  });
  return *image_pool_;
}

size_t Api::body_limit(const std::optional<RequestTarget>& target, const Limits& limits) {
  bool upload = target && target->segments == std::vector<std::string>{"v1", "verifications"};
  return upload ? limits.upload_bytes : limits.body_bytes;
}

// The route table is where each handler gets the services it uses.
const std::vector<Route>& Api::routes() {
  using Ex = std::shared_ptr<Exchange>;
  constexpr bool kPersonal = true;
  static const std::vector<Route> table = {
      {"GET", "/healthz", 0, [](Api&, Ex ex) { ex->respond(healthz()); }},
      {"GET", "/readyz", 0, [](Api& a, Ex ex) { ex->respond(readyz(a.policies(), a.log())); }},
      {"GET", "/metrics", 0, [](Api& a, Ex ex) { ex->respond(metrics_text(a.metrics())); }},
      {"GET", "/openapi.json", 0, [](Api&, Ex ex) { ex->respond(openapi_document()); }},
      {"POST", "/v1/evaluate", kEvaluateOrAdmin,
       [](Api& a, Ex ex) { evaluate(a.decision_route(), std::move(ex)); }, kPersonal},
      {"POST", "/v1/verifications", kEvaluateOrAdmin,
       [](Api& a, Ex ex) {
         submit_verification(a.decision_route(), a.image_pool(), std::move(ex));
       },
       kPersonal},
      {"GET", "/v1/verifications", kAuditOrAdmin,
       [](Api& a, Ex ex) {
         search_verifications(a.bulk_read(), a.options().limits, std::move(ex));
       },
       kPersonal},
      {"GET", "/v1/verifications/{id}", kAuditOrAdmin,
       [](Api& a, Ex ex) { ex->respond(get_verification(a.log(), a.seal(), ex->request)); },
       kPersonal},
      {"POST", "/v1/verifications/{id}/replay", kAuditOrAdmin,
       [](Api& a, Ex ex) {
         ex->respond(replay_verification(a.log(), a.seal(), a.policies(), ex->request));
       },
       kPersonal},
      {"GET", "/v1/verifications/{id}/notice", kAnyRole,
       [](Api& a, Ex ex) { ex->respond(notice(a.log(), a.seal(), ex->request, ex->caller)); },
       kPersonal},
      {"GET", "/v1/accounts/{id}/verifications", kAnyRole,
       [](Api& a, Ex ex) {
         ex->respond(account_verifications(a.log(), ex->request, ex->caller, a.options().limits));
       },
       kPersonal},
      {"PUT", "/v1/accounts/{id}/primary", kEvaluateOrAdmin,
       [](Api& a, Ex ex) {
         ex->respond(put_primary(a.accounts(), a.document_key(), a.seal(), ex->request,
                                 a.options().limits));
       },
       kPersonal},
      {"DELETE", "/v1/accounts/{id}", kAdmin,
       [](Api& a, Ex ex) { ex->respond(erase_account(a.seal(), ex->request, a.options().limits)); },
       kPersonal},
      {"POST", "/v1/replay", kAuditOrAdmin,
       [](Api& a, Ex ex) { replay_range(a.bulk_read(), a.seal(), a.policies(), std::move(ex)); },
       kPersonal},
      {"GET", "/v1/stats", kAuditOrAdmin,
       [](Api& a, Ex ex) { ex->respond(get_stats(a.log(), ex->request)); }, kPersonal},
      {"POST", "/v1/audit/verify", kAuditOrAdmin,
       [](Api& a, Ex ex) {
         ex->respond(start_chain_check(a.chain_verification(), ex->caller_name));
       }},
      {"GET", "/v1/audit/verify", kAuditOrAdmin,
       [](Api& a, Ex ex) { ex->respond(chain_check_status(a.chain_verification())); }},
      {"GET", "/v1/audit/head", kAuditOrAdmin,
       [](Api& a, Ex ex) { ex->respond(chain_head(a.decisions().stores().checkpoints)); }},
      {"GET", "/v1/policies", kAnyRole,
       [](Api& a, Ex ex) { ex->respond(list_policies(a.policies())); }},
      {"GET", "/v1/policies/text", kAuditOrAdmin,
       [](Api& a, Ex ex) { ex->respond(policy_text(a.policies())); }},
      {"GET", "/v1/policies/tests", kAuditOrAdmin,
       [](Api& a, Ex ex) { ex->respond(policy_tests_text(a.policies())); }},
      {"GET", "/v1/policies/history", kAuditOrAdmin,
       [](Api& a, Ex ex) { ex->respond(get_policy_history(a.log())); }},
      {"GET", "/v1/policies/diff", kAuditOrAdmin,
       [](Api& a, Ex ex) { ex->respond(get_policy_diff(a.log(), ex->request)); }},
      {"GET", "/v1/policies/recorded/{sha256}", kAuditOrAdmin,
       [](Api& a, Ex ex) { ex->respond(get_recorded_policy(a.log(), ex->request)); }},
      {"GET", "/v1/me", kAnyRole,
       [](Api&, Ex ex) { ex->respond(who_am_i(ex->caller_name, ex->caller)); }},
      {"POST", "/v1/policies/validate", kAdmin,
       [](Api& a, Ex ex) { ex->respond(validate_policy(a.policies(), ex->request)); }},
      {"POST", "/v1/policies/format", kAdmin,
       [](Api& a, Ex ex) { ex->respond(format_policy_text(ex->request, a.options().limits)); }},
      {"POST", "/v1/policies/test", kAdmin,
       [](Api& a, Ex ex) {
         ex->respond(test_policy(a.policies(), ex->request, a.options().limits));
       }},
      {"POST", "/v1/policies/deploy", kAdmin,
       [](Api& a, Ex ex) {
         ex->respond(deploy_policy(a.policies(), ex->request, a.options().limits, ex->caller_name));
       }},
      {"POST", "/v1/admin/reload", kAdmin,
       [](Api& a, Ex ex) { ex->respond(reload_policy(a.policies(), ex->caller_name)); }},
  };
  return table;
}

Api::Api(const ServeOptions& options, PolicyStore& policies, Metrics& metrics, TokenFile* tokens,
         Stores stores)
    : options_(options),
      policies_(policies),
      metrics_(metrics),
      tokens_(tokens),
      abuse_(options.limits, metrics),
      decisions_(policies, stores) {
  if (stores.decisions)
    chain_verification_ = std::make_unique<service::ChainVerification>(
        *stores.decisions, stores.open_reader, stores.chain_key, stores.checkpoints);
}

DecisionRoute Api::decision_route() {
  return DecisionRoute{decisions_, metrics_, options_.limits};
}

namespace {

// Matches decoded path segments against a route pattern; `{name}` takes one non-empty
// segment, whatever it holds (an account id may be an e-mail address, or hold a '/').
bool match(std::string_view pattern, const std::vector<std::string>& segments,
           std::vector<std::string>& params) {
  params.clear();
  size_t i = 0;
  for (size_t p = 1; p <= pattern.size(); ++i) {
    size_t end = std::min(pattern.find('/', p), pattern.size());
    std::string_view want = pattern.substr(p, end - p);
    if (i >= segments.size()) return false;
    if (want.starts_with('{')) {
      if (segments[i].empty()) return false;
      params.push_back(segments[i]);
    } else if (want != segments[i]) {
      return false;
    }
    p = end + 1;
  }
  return i == segments.size();
}

}  // namespace

void Api::handle(std::shared_ptr<Exchange> ex, std::optional<RequestTarget> uri) {
  const HttpRequest& request = ex->request;
  RequestNotes& notes = ex->notes;
  if (!uri) {
    notes.route = "unmatched";
    return ex->respond(problem(400, "bad-target", "Bad request target",
                               "the request target is not a valid path and query (RFC 3986) whose "
                               "escapes decode to UTF-8"));
  }
  ex->request.uri = std::move(*uri);
  const std::vector<std::string>& segments = request.uri.segments;
  std::string path = "/";
  for (size_t i = 0; i < segments.size(); ++i) path += (i ? "/" : "") + segments[i];
  // The address's rate covers every request but the probes: they are cheap, and a 429 to one
  // would have an orchestrator restart a service that is merely busy.
  bool probe = request.method == "GET" && (path == "/healthz" || path == "/readyz");
  if (!probe) {
    if (auto refused = abuse_.over_address_rate(request.client_address)) {
      notes.route = "throttled";
      return ex->respond(std::move(*refused));
    }
  }
  // The web console's files: no token (they hold no data; its API calls carry one).
  if (request.method == "GET" && (segments.empty() || (segments.size() == 1 && segments[0].empty()))) {
    notes.route = "GET /";
    return ex->respond(console_redirect());
  }
  // "/console" without its slash: the page's relative links need the folder.
  if (request.method == "GET" && segments == std::vector<std::string>{"console"}) {
    notes.route = "GET /console/";
    return ex->respond(console_redirect());
  }
  if (request.method == "GET" && !segments.empty() && segments[0] == "console") {
    notes.route = "GET /console/";
    std::string file;
    for (size_t i = 1; i < segments.size(); ++i) file += (i > 1 ? "/" : "") + segments[i];
    return ex->respond(console_file(file));
  }
  const Route* route = nullptr;
  std::string allow;
  std::vector<std::string> params;
  for (const auto& r : routes()) {
    if (!match(r.path, segments, params)) continue;
    allow += (allow.empty() ? "" : ", ") + r.method;
    if (r.method == request.method) {
      route = &r;
      break;
    }
  }
  if (!route) {
    notes.route = "unmatched";
    if (allow.empty())
      return ex->respond(problem(404, "not-found", "Not found", "no route for " + path));
    HttpResponse r = problem(405, "method-not-allowed", "Method not allowed",
                             request.method + " is not allowed on " + path);
    r.headers.emplace_back("Allow", allow);
    return ex->respond(std::move(r));
  }
  ex->request.params = std::move(params);
  ex->no_store = route->personal;
  notes.route = route->method + " " + route->path;
  // Tokens travel in the Authorization header only; one in the query string would end up in
  // logs and browser histories, so it is refused outright.
  if (query_has_token(request.uri))
    return ex->respond(problem(400, "token-in-query", "Token in the query string",
                               "send the token as Authorization: Bearer <token>"));
  Roles caller = kAnyRole;
  if (route->roles != 0 && tokens_) {
    if (auto paused = abuse_.paused_for_bad_tokens(request.client_address))
      return ex->respond(std::move(*paused));
    auto token = bearer_token(request.authorization);
    if (!token) {
      HttpResponse r =
          problem(401, "unauthorized", "Unauthorized", "send Authorization: Bearer <token>");
      r.headers.emplace_back("WWW-Authenticate", "Bearer");
      return ex->respond(std::move(r));
    }
    auto who = tokens_->identify(*token);
    caller = who.roles;
    ex->caller_name = who.name;
    if (caller == 0) {
      abuse_.unknown_token(request.client_address);
      HttpResponse r = problem(401, "unauthorized", "Unauthorized", "unknown token");
      r.headers.emplace_back("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      return ex->respond(std::move(r));
    }
    if (auto refused = abuse_.over_token_rate(who.key)) return ex->respond(std::move(*refused));
    if ((caller & route->roles) == 0)
      return ex->respond(problem(403, "forbidden", "Forbidden",
                                 notes.route + " needs the role " + role_names(route->roles)));
  }
  ex->caller = caller;
  route->handler(*this, std::move(ex));
}

}  // namespace kyc::server
