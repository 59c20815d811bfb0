// What the routes that read the decision log share: the record a route names, and the answers
// when there is no log or it cannot be read.
#include "server/handlers/handlers.h"

namespace kyc::server {

HttpResponse no_log_problem() {
  return problem(503, "audit-unavailable", "No audit log", "this service records no decisions");
}

HttpResponse store_problem(const common::Error& e) {
  return problem(503, "store-unavailable", "Store unavailable", e.message);
}

OrAnswer<store::StoredRecord> recorded_decision(store::DecisionLog* log,
                                                const std::string& decision_id) {
  if (!log) return no_log_problem();
  auto stored = log->get(decision_id);
  if (!stored) return store_problem(stored.error());
  // The chain's own records (a scheme switch, an account change) are not decisions.
  if (!*stored || store::is_chain_stage((*stored)->record.stage))
    return problem(404, "not-found", "Not found", "no decision " + decision_id);
  return std::move(**stored);
}

}  // namespace kyc::server
