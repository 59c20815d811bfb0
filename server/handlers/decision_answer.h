// A decision as an HTTP answer: the service decides and records (service/decisions.h); this
// turns what it says into the response, once the record is durable.
#pragma once

#include <memory>

#include "server/handlers/handlers.h"

namespace kyc::server {

// The problem answer for a decision that was not made (422 for facts of the wrong type, 503
// with no policy or no readable store).
HttpResponse not_decided_problem(const service::NotDecided& why);

// Runs `make` through the service and answers the exchange once its record is committed
// (durable before the answer): the decision, the recorded one for a repeated Idempotency-Key,
// or a 503 when it could not be recorded.
void answer_recorded(DecisionRoute route, std::shared_ptr<Exchange> ex,
                     service::Decisions::Make make);

}  // namespace kyc::server
