#include "server/api.h"

#include <algorithm>
#include <optional>

#include <boost/json.hpp>

namespace kyc::server {

namespace {

HttpResponse json(int status, const boost::json::value& body) {
  HttpResponse r;
  r.status = status;
  r.body = boost::json::serialize(body);
  return r;
}

HttpResponse serve_healthz(Api&, const HttpRequest&, Roles, RequestNotes&) {
  return json(200, {{"status", "ok"}});
}

HttpResponse serve_readyz(Api& api, const HttpRequest&, Roles, RequestNotes&) {
  if (!api.ready()) return problem(503, "not-ready", "Not ready", "no policy is loaded");
  return json(200, {{"status", "ready"}});
}

HttpResponse serve_metrics(Api& api, const HttpRequest&, Roles, RequestNotes&) {
  HttpResponse r;
  r.content_type = "text/plain; version=0.0.4";
  r.body = api.metrics().render();
  return r;
}

constexpr Roles kAnyRole = kEvaluate | kAudit | kAdmin;
constexpr Roles kEvaluateOrAdmin = kEvaluate | kAdmin;
constexpr Roles kAuditOrAdmin = kAudit | kAdmin;

std::string path_of(const std::string& target) { return target.substr(0, target.find('?')); }

// True when the query string has a parameter that looks like a credential.
bool query_has_token(const std::string& target) {
  for (const char* key : {"token", "access_token", "bearer"})
    if (query_param(target, key)) return true;
  return false;
}

}  // namespace

std::optional<std::string> query_param(const std::string& target, std::string_view name) {
  size_t q = target.find('?');
  if (q == std::string::npos) return std::nullopt;
  for (size_t i = q + 1; i <= target.size();) {
    size_t end = std::min(target.find('&', i), target.size());
    size_t eq = std::min(target.find('=', i), end);
    if (std::string_view(target).substr(i, eq - i) == name)
      return eq < end ? target.substr(eq + 1, end - eq - 1) : std::string();
    i = end + 1;
  }
  return std::nullopt;
}

HttpResponse problem(int status, const std::string& slug, const std::string& title,
                     const std::string& detail) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = boost::json::serialize(boost::json::object{{"type", "https://kycd.dev/problems/" + slug},
                                                      {"title", title},
                                                      {"status", status},
                                                      {"detail", detail}});
  return r;
}

WorkPool& Api::image_pool() {
  std::call_once(image_pool_once_, [this] {
    image_pool_ =
        std::make_unique<WorkPool>(options_.limits.image_threads, options_.limits.image_queue);
  });
  return *image_pool_;
}

size_t Api::body_limit(const std::string& target, const Limits& limits) {
  return target.substr(0, target.find('?')) == "/v1/verifications" ? limits.upload_bytes
                                                                   : limits.body_bytes;
}

const std::vector<Route>& Api::routes() {
  static const std::vector<Route> table = {
      {"GET", "/healthz", 0, answer_now<serve_healthz>},
      {"GET", "/readyz", 0, answer_now<serve_readyz>},
      {"GET", "/metrics", 0, answer_now<serve_metrics>},
      {"GET", "/openapi.json", 0, answer_now<handle_openapi>},
      {"POST", "/v1/evaluate", kEvaluateOrAdmin, handle_evaluate},
      {"POST", "/v1/verifications", kEvaluateOrAdmin, handle_submit_verification},
      {"GET", "/v1/verifications/{id}", kAuditOrAdmin, answer_now<handle_get_verification>},
      {"POST", "/v1/verifications/{id}/replay", kAuditOrAdmin,
       answer_now<handle_replay_verification>},
      {"GET", "/v1/verifications/{id}/notice", kAnyRole, answer_now<handle_notice>},
      {"GET", "/v1/accounts/{id}/verifications", kAnyRole,
       answer_now<handle_account_verifications>},
      {"PUT", "/v1/accounts/{id}/primary", kEvaluateOrAdmin, answer_now<handle_put_primary>},
      {"POST", "/v1/replay", kAuditOrAdmin, answer_now<handle_replay_range>},
      {"GET", "/v1/policies", kAnyRole, answer_now<handle_list_policies>},
      {"POST", "/v1/policies/validate", kAdmin, answer_now<handle_validate_policy>},
      {"POST", "/v1/admin/reload", kAdmin, answer_now<handle_reload>},
  };
  return table;
}

Api::Api(const ServeOptions& options, PolicyStore& policies, Metrics& metrics,
         const TokenStore* tokens, Stores stores)
    : options_(options), policies_(policies), metrics_(metrics), tokens_(tokens), stores_(stores) {}

namespace {

// Matches a path against a route pattern; `{name}` takes one non-empty segment.
bool match(const std::string& pattern, const std::string& path, std::vector<std::string>& params) {
  params.clear();
  size_t p = 0, q = 0;
  while (p < pattern.size() && q <= path.size()) {
    size_t pe = pattern.find('/', p + 1), qe = path.find('/', q + 1);
    if (pe == std::string::npos) pe = pattern.size();
    if (qe == std::string::npos) qe = path.size();
    std::string_view seg(pattern.data() + p, pe - p), got(path.data() + q, qe - q);
    if (seg.size() > 2 && seg[1] == '{') {
      if (got.size() < 2) return false;
      params.emplace_back(got.substr(1));
    } else if (seg != got) {
      return false;
    }
    p = pe;
    q = qe;
  }
  return p == pattern.size() && q == path.size();
}

}  // namespace

void Api::handle(std::shared_ptr<Exchange> ex) {
  const HttpRequest& request = ex->request;
  RequestNotes& notes = ex->notes;
  std::string path = path_of(request.target);
  const Route* route = nullptr;
  std::string allow;
  std::vector<std::string> params;
  for (const auto& r : routes()) {
    if (!match(r.path, path, params)) continue;
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
  notes.route = route->method + " " + route->path;
  // Tokens travel in the Authorization header only; one in the query string would end up in
  // logs and browser histories, so it is refused outright.
  if (query_has_token(request.target))
    return ex->respond(problem(400, "token-in-query", "Token in the query string",
                               "send the token as Authorization: Bearer <token>"));
  Roles caller = kAnyRole;
  if (route->roles != 0 && tokens_) {
    const std::string& auth = request.authorization;
    if (auth.size() <= 7 || auth.compare(0, 7, "Bearer ") != 0) {
      HttpResponse r =
          problem(401, "unauthorized", "Unauthorized", "send Authorization: Bearer <token>");
      r.headers.emplace_back("WWW-Authenticate", "Bearer");
      return ex->respond(std::move(r));
    }
    caller = tokens_->roles_of(std::string_view(auth).substr(7));
    if (caller == 0) {
      HttpResponse r = problem(401, "unauthorized", "Unauthorized", "unknown token");
      r.headers.emplace_back("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      return ex->respond(std::move(r));
    }
    if ((caller & route->roles) == 0)
      return ex->respond(problem(403, "forbidden", "Forbidden",
                                 notes.route + " needs the role " + role_names(route->roles)));
  }
  ex->caller = caller;
  route->handler(*this, std::move(ex));
}

}  // namespace kyc::server
