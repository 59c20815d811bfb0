// The HTTP API: routes, roles, and the handlers behind them. Transport-free: http_server.cc
// reads a request, calls Api::handle, writes the response.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "server/http_types.h"
#include "server/metrics.h"
#include "server/serve_options.h"
#include "server/work_pool.h"
#include "service/access_tokens.h"
#include "service/clock.h"
#include "service/policy_store.h"

namespace kyc::store {
class AccountStore;
class AuditLog;
class DocumentKey;
}  // namespace kyc::store

namespace kyc::server {

// The service's names that the HTTP layer speaks in.
using service::ActivePolicy;
using service::kAdmin;
using service::kAudit;
using service::kEvaluate;
using service::now_rfc3339;
using service::PolicyStore;
using service::role_names;
using service::Roles;
using service::TokenFile;

// The stores behind the API; null members are absent (unit tests run without them).
struct Stores {
  store::AuditLog* audit = nullptr;  // decisions and the account store's tables
  const store::DocumentKey* document_key = nullptr;
  store::AccountStore* accounts = nullptr;  // primary-KYC data
};

class Api;
using SyncHandler = HttpResponse (*)(Api&, const HttpRequest&, Roles caller, RequestNotes&);
using AsyncHandler = void (*)(Api&, std::shared_ptr<Exchange>);

struct Route {
  std::string method;
  std::string path;  // segments; `{name}` matches one segment and becomes a param
  Roles roles;       // any of these roles may call it; 0 = public
  AsyncHandler handler;
};

// Adapts a handler that answers at once.
template <SyncHandler F>
void answer_now(Api& api, std::shared_ptr<Exchange> ex) {
  ex->respond(F(api, ex->request, ex->caller, ex->notes));
}

class Api {
 public:
  Api(const ServeOptions& options, PolicyStore& policies, Metrics& metrics, TokenFile* tokens,
      Stores stores = {});

  // Routes, authenticates and runs the handler, which answers through ex->respond().
  void handle(std::shared_ptr<Exchange> ex);
  static const std::vector<Route>& routes();
  // The largest body a request to `target` may have: photo uploads get their own limit.
  static size_t body_limit(const std::string& target, const Limits& limits);

  const ServeOptions& options() const { return options_; }
  PolicyStore& policies() { return policies_; }
  TokenFile* tokens() { return tokens_; }
  Metrics& metrics() { return metrics_; }
  store::AuditLog* audit() { return stores_.audit; }
  const store::DocumentKey* document_key() const { return stores_.document_key; }
  store::AccountStore* accounts() { return stores_.accounts; }
  bool ready() const { return policies_.current() != nullptr; }
  // Image analysis runs here, off the IO threads (started on first use).
  WorkPool& image_pool();

 private:
  const ServeOptions& options_;
  PolicyStore& policies_;
  Metrics& metrics_;
  TokenFile* tokens_;  // null: --no-auth, every caller has every role
  Stores stores_;
  std::once_flag image_pool_once_;
  std::unique_ptr<WorkPool> image_pool_;
};

// Handlers, one file per concern.
void handle_evaluate(Api&, std::shared_ptr<Exchange>);
void handle_submit_verification(Api&, std::shared_ptr<Exchange>);
HttpResponse handle_get_verification(Api&, const HttpRequest&, Roles, RequestNotes&);
HttpResponse handle_account_verifications(Api&, const HttpRequest&, Roles, RequestNotes&);
HttpResponse handle_replay_verification(Api&, const HttpRequest&, Roles, RequestNotes&);
HttpResponse handle_notice(Api&, const HttpRequest&, Roles, RequestNotes&);
HttpResponse handle_put_primary(Api&, const HttpRequest&, Roles, RequestNotes&);
HttpResponse handle_replay_range(Api&, const HttpRequest&, Roles, RequestNotes&);
HttpResponse handle_list_policies(Api&, const HttpRequest&, Roles, RequestNotes&);
HttpResponse handle_validate_policy(Api&, const HttpRequest&, Roles, RequestNotes&);
HttpResponse handle_reload(Api&, const HttpRequest&, Roles, RequestNotes&);
HttpResponse handle_openapi(Api&, const HttpRequest&, Roles, RequestNotes&);

}  // namespace kyc::server
