#include "server/handlers/decision_answer.h"

#include <boost/json.hpp>

#include "engine/outcome.h"
#include "server/handlers/idempotency.h"
#include "service/personal_facts.h"

namespace kyc::server {

HttpResponse not_decided_problem(const service::NotDecided& why) {
  using Why = service::NotDecided::Why;
  switch (why.why) {
    case Why::InvalidFacts: {
      boost::json::array errors;
      for (const auto& e : why.facts) errors.push_back({{"path", e.path}, {"message", e.message}});
      return problem(422, "invalid-facts", "Invalid facts", why.detail,
                     {{"errors", std::move(errors)}});
    }
    case Why::StoreUnavailable:
      return problem(503, "store-unavailable", "Store unavailable",
                     "the account store cannot be read; no decision was made, retry later");
    case Why::AccountErased:
      return problem(410, "account-erased", "Account erased", why.detail);
    case Why::NoPolicy:
      break;
  }
  return problem(503, "not-ready", "Not ready", why.detail);
}

void answer_recorded(DecisionRoute route, std::shared_ptr<Exchange> ex,
                     service::Decisions::Make make) {
  store::DecisionLog* log = route.decisions.stores().decisions;
  auto key = idempotency_key(log, ex->request);
  std::optional<store::AuditRecord::Idempotency> recorded_key;
  if (key) recorded_key = store::AuditRecord::Idempotency{key->scope, key->request_sha256};
  route.decisions.decide_and_record(
      std::move(make), std::move(recorded_key), [route, log, ex, key](service::Recorded recorded) {
        using Commit = store::DecisionLog::Commit;
        if (!recorded.decision) return ex->respond(not_decided_problem(recorded.decision.error()));
        service::Decided& decided = *recorded.decision;
        if (recorded.commit == Commit::Committed) {
          route.metrics.decision(decided.outcome);
          for (const auto& code : decided.reasons) route.metrics.reason_fired(code);
          ex->notes.decision_id = decided.decision_id;
          ex->notes.outcome = std::string(engine::outcome_name(decided.outcome));
          HttpResponse r;
          r.body = std::move(decided.decision_json);
          // A backend never sent the account's primary data: it does not get it back. (A
          // repeated key answers the record, which withholds every personal value.)
          if (!service::reads_personal_data(ex->caller))
            r.body = service::withhold(std::move(r.body), decided.store_personal_values);
          return ex->respond(std::move(r));
        }
        // The same key's first request was recorded while this one was being decided.
        if (recorded.commit == Commit::Repeated && key)
          if (auto answer = repeated_answer(*log, *key, ex->notes))
            return ex->respond(std::move(*answer));
        ex->respond(problem(
            503, "audit-unavailable", "Decision not recorded",
            recorded.commit == Commit::Conflict
                ? "the document's accounts kept changing during the decision; retry"
                : "the audit log cannot be written; no decision was made, retry later"));
      });
}

}  // namespace kyc::server
