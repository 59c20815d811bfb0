#include "server/api.h"

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

std::string path_of(const std::string& target) { return target.substr(0, target.find('?')); }

// True when the query string has a parameter that looks like a credential.
bool query_has_token(const std::string& target) {
  size_t q = target.find('?');
  if (q == std::string::npos) return false;
  for (size_t i = q + 1; i < target.size();) {
    size_t end = target.find('&', i);
    if (end == std::string::npos) end = target.size();
    std::string key =
        target.substr(i, target.find('=', i) < end ? target.find('=', i) - i : end - i);
    if (key == "token" || key == "access_token" || key == "bearer") return true;
    i = end + 1;
  }
  return false;
}

}  // namespace

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

const std::vector<Route>& Api::routes() {
  static const std::vector<Route> table = {
      {"GET", "/healthz", 0, serve_healthz},
      {"GET", "/readyz", 0, serve_readyz},
      {"GET", "/metrics", 0, serve_metrics},
      {"GET", "/openapi.json", 0, handle_openapi},
      {"POST", "/v1/evaluate", kEvaluateOrAdmin, handle_evaluate},
      {"GET", "/v1/policies", kAnyRole, handle_list_policies},
      {"POST", "/v1/policies/validate", kAdmin, handle_validate_policy},
      {"POST", "/v1/admin/reload", kAdmin, handle_reload},
  };
  return table;
}

Api::Api(const ServeOptions& options, PolicyStore& policies, Metrics& metrics,
         const TokenStore* tokens)
    : options_(options), policies_(policies), metrics_(metrics), tokens_(tokens) {}

HttpResponse Api::handle(const HttpRequest& request, RequestNotes& notes) {
  std::string path = path_of(request.target);
  const Route* route = nullptr;
  bool path_known = false;
  for (const auto& r : routes()) {
    if (r.path != path) continue;
    path_known = true;
    if (r.method == request.method) route = &r;
  }
  if (!route) {
    notes.route = "unmatched";
    if (path_known) {
      HttpResponse r = problem(405, "method-not-allowed", "Method not allowed",
                               request.method + " is not allowed on " + path);
      std::string allow;
      for (const auto& r2 : routes())
        if (r2.path == path) allow += (allow.empty() ? "" : ", ") + r2.method;
      r.headers.emplace_back("Allow", allow);
      return r;
    }
    return problem(404, "not-found", "Not found", "no route for " + path);
  }
  notes.route = route->method + " " + route->path;
  // Tokens travel in the Authorization header only; one in the query string would end up in
  // logs and browser histories, so it is refused outright.
  if (query_has_token(request.target))
    return problem(400, "token-in-query", "Token in the query string",
                   "send the token as Authorization: Bearer <token>");
  Roles caller = kAnyRole;
  if (route->roles != 0 && tokens_) {
    const std::string& auth = request.authorization;
    if (auth.size() <= 7 || auth.compare(0, 7, "Bearer ") != 0) {
      HttpResponse r =
          problem(401, "unauthorized", "Unauthorized", "send Authorization: Bearer <token>");
      r.headers.emplace_back("WWW-Authenticate", "Bearer");
      return r;
    }
    caller = tokens_->roles_of(std::string_view(auth).substr(7));
    if (caller == 0) {
      HttpResponse r = problem(401, "unauthorized", "Unauthorized", "unknown token");
      r.headers.emplace_back("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      return r;
    }
    if ((caller & route->roles) == 0)
      return problem(403, "forbidden", "Forbidden",
                     notes.route + " needs the role " + role_names(route->roles));
  }
  return route->handler(*this, request, caller, notes);
}

}  // namespace kyc::server
