// The route handlers, one file per route group. Each takes the services it uses, never the
// whole Api: the route table (server/api.cc) is the one place that hands them over.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>

#include "server/http/http_types.h"
#include "server/metrics.h"
#include "server/serve_options.h"
#include "server/work_pool.h"
#include "service/access_tokens.h"
#include "service/chain_verification.h"
#include "service/decisions.h"
#include "service/policy_store.h"

namespace kyc::server {

// bulk_read.cc. Whether a bulk read should end before it is done, asked between records, and the
// answer it then gives. A client that gave up on a replay of 100,000 decisions (about 7 s) held the
// one bulk thread until the end, and every other replay or export got 503 meanwhile.
class BulkStop {
 public:
  BulkStop(const std::atomic<bool>& stopping, int client_socket)
      : stopping_(stopping), client_socket_(client_socket) {}
  // True when the service is stopping or the client has closed its connection (its socket is
  // looked at on the first call, then at most every 20 ms).
  bool operator()() const;
  // 503 `stopping`, or 499 `client-closed` (nginx's code: only the access log sees it).
  HttpResponse answer() const;

 private:
  const std::atomic<bool>& stopping_;
  int client_socket_;
  mutable std::chrono::steady_clock::time_point looked_{};
  mutable bool client_left_ = false;
};

// bulk_read.cc: a read of the log in bulk (a range replay, a CSV export). On the IO thread a
// replay of 200,000 decisions held every request for 4.1 s, and an export refused as too large
// for 3 s. So it runs on `pool`, one at a time, through a read handle of its own on the log when
// `open_reader` is set (else `log`'s, which the service's other reads then wait for), and ends
// early once `cancel` is set (the service is stopping) or the client that asked has gone.
struct BulkRead {
  store::DecisionLog* log;
  const store::OpenLogReader& open_reader;
  WorkPool& pool;
  const std::atomic<bool>& cancel;

  // Answers `ex` with what `read` returns from the pool, or with stop.answer() when the
  // client left before it started; at once 503 with Retry-After when a read runs and the
  // queue is full. An answer with a body made while it is sent (HttpResponse::stream) is made
  // next on the same thread: its maker may keep `log` and `stop` by reference.
  void submit(
      std::shared_ptr<Exchange> ex,
      std::function<HttpResponse(store::DecisionLog& log, const BulkStop& stop)> read) const;
};

// What a route that makes a decision uses (decision_answer.h).
struct DecisionRoute {
  service::Decisions& decisions;
  Metrics& metrics;
  const Limits& limits;
};

// evaluate.cc: POST /v1/evaluate
void evaluate(DecisionRoute route, std::shared_ptr<Exchange> ex);

// verifications.cc: POST /v1/verifications (photos, analysed on `images`), GET one decision,
// GET an account's decisions (the status view only, unless the caller audits).
void submit_verification(DecisionRoute route, WorkPool& images, std::shared_ptr<Exchange> ex);
HttpResponse get_verification(store::DecisionLog* log, service::PersonalSeal* seal,
                              const HttpRequest& request);
HttpResponse account_verifications(store::DecisionLog* log, const HttpRequest& request,
                                   service::Roles caller, const Limits& limits);

// decision_search.cc: GET /v1/verifications (search, newest first, paged; or all as CSV, read
// in bulk)
void search_verifications(const BulkRead& bulk, const Limits& limits,
                          std::shared_ptr<Exchange> ex);

// stats.cc: GET /v1/stats
HttpResponse get_stats(store::DecisionLog* log, const HttpRequest& request);

// replay.cc: POST /v1/verifications/{id}/replay, POST /v1/replay
HttpResponse replay_verification(store::DecisionLog* log, service::PersonalSeal* seal,
                                 service::PolicyStore& policies,
                                 const HttpRequest& request);
void replay_range(const BulkRead& bulk, service::PersonalSeal* seal,
                  service::PolicyStore& policies, std::shared_ptr<Exchange> ex);

// audit.cc: POST /v1/audit/verify (start a chain check), GET /v1/audit/verify (its progress)
HttpResponse start_chain_check(service::ChainVerification* check, const std::string& by);
HttpResponse chain_check_status(service::ChainVerification* check);
// GET /v1/audit/head: the chain's head, signed now (service/checkpoints.h)
HttpResponse chain_head(service::Checkpoints* checkpoints);

// notices.cc: GET /v1/verifications/{id}/notice
// Personal facts quoted in its messages are withheld unless the caller audits.
HttpResponse notice(store::DecisionLog* log, service::PersonalSeal* seal, const HttpRequest& request,
                    service::Roles caller);

// accounts.cc: PUT /v1/accounts/{id}/primary, and DELETE /v1/accounts/{id}: erasure of the
// account's personal data by destroying its data key (docs/personal-data.md)
HttpResponse erase_account(service::PersonalSeal* seal, const HttpRequest& request,
                           const Limits& limits);
// The 422 every route gives for an account id it cannot take (service/account_id.h): evaluate,
// the upload's metadata, primary data, an account's attempts, an erasure (which would otherwise
// record a tombstone for an id no request could have made).
OrAnswer<void> checked_account_id(std::string_view id, const Limits& limits);
HttpResponse put_primary(store::AccountStore* accounts, const store::DocumentKey* key,
                         service::PersonalSeal* seal, const HttpRequest& request,
                         const Limits& limits);

// policies.cc: GET /v1/policies, POST /v1/policies/validate, POST /v1/admin/reload
HttpResponse list_policies(service::PolicyStore& policies);
HttpResponse validate_policy(service::PolicyStore& policies, const HttpRequest& request);
// GET /v1/policies/text: the running policy's text (the console's editor starts from it).
HttpResponse policy_text(service::PolicyStore& policies);
// GET /v1/policies/tests: its test file (X.test beside X.policy) as text; 404 without one.
HttpResponse policy_tests_text(service::PolicyStore& policies);

// policy_changes.cc: the console's editor. POST /v1/policies/format, /test, and /deploy (`by`:
// the admin token's name, recorded with the activation and the note).
HttpResponse format_policy_text(const HttpRequest& request, const Limits& limits);
HttpResponse test_policy(service::PolicyStore& policies, const HttpRequest& request,
                         const Limits& limits);
HttpResponse deploy_policy(service::PolicyStore& policies, const HttpRequest& request,
                           const Limits& limits, const std::string& by);

// policy_history.cc: change control from the audit log. GET /v1/policies/history, /diff,
// /recorded/{sha256}
HttpResponse get_policy_history(store::DecisionLog* log);
HttpResponse get_policy_diff(store::DecisionLog* log, const HttpRequest& request);
HttpResponse get_recorded_policy(store::DecisionLog* log, const HttpRequest& request);

// console.cc: the web console's files, / -> /console/, GET /v1/me
HttpResponse console_file(const std::string& path);
HttpResponse console_redirect();
HttpResponse who_am_i(const std::string& name, uint8_t roles);
// `by`: the admin token's name, recorded with the activation.
HttpResponse reload_policy(service::PolicyStore& policies, const std::string& by);

// ops.cc: GET /healthz, /readyz, /metrics, /openapi.json
HttpResponse healthz();
// Ready when a policy is loaded and the audit log can take records, as far as it knows.
HttpResponse readyz(const service::PolicyStore& policies, const store::DecisionLog* log);
HttpResponse metrics_text(Metrics& metrics);
HttpResponse openapi_document();

// recorded_decision.cc: the recorded decision a route names, or the answer instead: 503
// without a readable log, 404 when it has no such decision.
OrAnswer<store::StoredRecord> recorded_decision(store::DecisionLog* log,
                                                const std::string& decision_id);
// The answers for a service that records no decisions, and for a store that cannot be read
// (both 503).
HttpResponse no_log_problem();
HttpResponse store_problem(const common::Error& e);

}  // namespace kyc::server
