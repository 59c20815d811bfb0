// The decision itself, shared by every route that makes one: facts in (from the caller or
// from the adapters), the account store's facts added, the engine run, the decision answered
// only once its audit record is committed.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <memory>
#include <string>

#include "adapters/store/audit_log.h"
#include "server/api.h"

namespace kyc::server {

struct DecisionInput {
  const boost::json::object& facts;  // dotted or nested names, as /v1/evaluate takes them
  std::string account_id;            // "" when none
  std::string locale = "en";
  std::string stage;  // "evaluate" or "verification": recorded with the decision
  Roles caller = 0;
  // Adapter facts the policy does not use (an image's SHA-256, EXIF maker...): recorded with
  // the decision all the same, so the audit log shows everything the adapters saw.
  bool record_undeclared = false;
};

// Evaluates and fills the audit record; a 200 with the decision JSON, or a problem (422 for
// facts of the wrong type, 503 with no policy). Facts the service owns
// (`account.*`, `primary.*`, `today`) are taken from an admin only; from anyone else they are
// listed in `ignored_facts` and filled by the store and the clock, or left missing.
HttpResponse decide_on_facts(Api& api, const DecisionInput& in, RequestNotes& notes,
                             store::AuditRecord& record);

// Runs `decide` and answers once its record is committed (durable before the answer). A
// conflict on the account store (another approval linked the same document meanwhile) runs
// `decide` again with fresh store facts, a few times at most.
using Decide = std::function<HttpResponse(RequestNotes&, store::AuditRecord&)>;
void answer_recorded(Api& api, std::shared_ptr<Exchange> ex, Decide decide);

}  // namespace kyc::server
