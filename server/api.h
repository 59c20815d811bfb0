// The HTTP API: routes, roles, and the handlers behind them. Transport-free: http_server.cc
// reads a request, calls Api::handle, writes the response.
#pragma once

#include <string>
#include <vector>

#include "server/auth.h"
#include "server/http_types.h"
#include "server/metrics.h"
#include "server/policy_store.h"
#include "server/serve_options.h"

namespace kyc::server {

struct Route {
  std::string method;
  std::string path;
  Roles roles;  // any of these roles may call it; 0 = public
  HttpResponse (*handler)(class Api&, const HttpRequest&, Roles caller, RequestNotes&);
};

class Api {
 public:
  Api(const ServeOptions& options, PolicyStore& policies, Metrics& metrics,
      const TokenStore* tokens);

  HttpResponse handle(const HttpRequest& request, RequestNotes& notes);
  static const std::vector<Route>& routes();

  const ServeOptions& options() const { return options_; }
  PolicyStore& policies() { return policies_; }
  Metrics& metrics() { return metrics_; }
  bool ready() const { return policies_.current() != nullptr; }

 private:
  const ServeOptions& options_;
  PolicyStore& policies_;
  Metrics& metrics_;
  const TokenStore* tokens_;  // null: --no-auth, every caller has every role
};

// Handlers, one file per concern.
HttpResponse handle_evaluate(Api&, const HttpRequest&, Roles, RequestNotes&);
HttpResponse handle_list_policies(Api&, const HttpRequest&, Roles, RequestNotes&);
HttpResponse handle_validate_policy(Api&, const HttpRequest&, Roles, RequestNotes&);
HttpResponse handle_reload(Api&, const HttpRequest&, Roles, RequestNotes&);
HttpResponse handle_openapi(Api&, const HttpRequest&, Roles, RequestNotes&);

}  // namespace kyc::server
