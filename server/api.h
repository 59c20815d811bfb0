// The HTTP API: the route table with each route's roles, and authentication. Transport-free:
// server/http/ reads a request, calls Api::handle, writes the response; the handlers behind the
// routes are in server/handlers/.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "server/abuse_limits.h"
#include "server/http/http_types.h"
#include "server/metrics.h"
#include "server/serve_options.h"
#include "server/work_pool.h"
#include "service/access_tokens.h"
#include "service/chain_verification.h"
#include "service/clock.h"
#include "service/decisions.h"
#include "service/policy_store.h"

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
using service::Stores;
using service::TokenFile;

class Api;
struct DecisionRoute;
struct BulkRead;
// Answers through ex->respond(), at once or later.
using Handler = void (*)(Api&, std::shared_ptr<Exchange>);

struct Route {
  std::string method;
  std::string path;  // segments; `{name}` matches one segment and becomes a param
  Roles roles;       // any of these roles may call it; 0 = public
  Handler handler;
  // Its answers may hold personal data (facts, evidence, account ids, decisions): no cache
  // along the way, nor the browser's, may keep them (Cache-Control: no-store).
  bool personal = false;
};

class Api {
 public:
  Api(const ServeOptions& options, PolicyStore& policies, Metrics& metrics, TokenFile* tokens,
      Stores stores = {});
  ~Api();  // stops a running bulk read, then waits for it and for the image pool

  // Routes, authenticates and runs the handler, which answers through ex->respond(). `target`
  // is the request target as parse_target() read it (nullopt: not a valid one); the transport
  // parses it once, when the request line arrives, for body_limit() and for this.
  void handle(std::shared_ptr<Exchange> ex, std::optional<RequestTarget> target);
  void handle(std::shared_ptr<Exchange> ex) {
    auto target = parse_target(ex->request.target);
    handle(std::move(ex), std::move(target));
  }
  static const std::vector<Route>& routes();
  // The largest body a request to `target` may have: photo uploads get their own limit.
  static size_t body_limit(const std::optional<RequestTarget>& target, const Limits& limits);

  const ServeOptions& options() const { return options_; }
  PolicyStore& policies() { return policies_; }
  TokenFile* tokens() { return tokens_; }
  Metrics& metrics() { return metrics_; }
  service::Decisions& decisions() { return decisions_; }
  DecisionRoute decision_route();
  // The stores; null when absent (unit tests run without them).
  store::DecisionLog* log() { return decisions_.stores().decisions; }
  store::AccountStore* accounts() { return decisions_.stores().accounts; }
  const store::DocumentKey* document_key() const { return decisions_.stores().document_key; }
  service::PersonalSeal* seal() { return decisions_.stores().seal; }
  bool ready() const { return policies_.current() != nullptr; }
  // Image analysis runs here, off the IO threads (started on first use).
  WorkPool& image_pool();
  // Range replays and CSV exports: one at a time, on a thread of their own (started on first
  // use).
  BulkRead bulk_read();
  // The service is stopping: a running bulk read ends at its next record (503 `stopping`), and
  // an export being sent stops making its body. Any thread; the drain calls it first.
  void stop_bulk_reads() { stop_bulk_reads_ = true; }
  // Stops them and waits until none runs: called before the connections' threads go, which
  // their answers are handed to. No bulk read may be asked for afterwards.
  void end_bulk_reads();
  // The console's chain check (null without a log).
  service::ChainVerification* chain_verification() { return chain_verification_.get(); }

 private:
  const ServeOptions& options_;
  PolicyStore& policies_;
  Metrics& metrics_;
  TokenFile* tokens_;  // null: --no-auth, every caller has every role
  AbuseLimits abuse_;
  service::Decisions decisions_;
  std::once_flag image_pool_once_;
  std::unique_ptr<WorkPool> image_pool_;
  std::unique_ptr<service::ChainVerification> chain_verification_;
  // Last, so destroyed first: a running bulk read is told to stop and joined before the stores
  // and the policies it reads go away.
  std::atomic<bool> stop_bulk_reads_{false};
  std::once_flag bulk_pool_once_;
  std::unique_ptr<WorkPool> bulk_pool_;
};

}  // namespace kyc::server
