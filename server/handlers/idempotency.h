// Idempotency-Key on POST /v1/evaluate and POST /v1/verifications: a backend that retries a
// request (a timeout, a dropped connection) gets the decision its first try made, with the
// same decision_id, and the account counts one attempt, not two. A key is the caller's own
// (scoped by its token) for 24 hours; the same key with another request is a 422.
#pragma once

#include <optional>
#include <string>

#include "server/http/http_types.h"
#include "store/decision_log.h"

namespace kyc::server {

struct IdempotencyKey {
  std::string scope;           // SHA-256 of the token and the key
  std::string request_sha256;  // SHA-256 of the method, target and content (an upload: its parts)
};

constexpr size_t kMaxIdempotencyKeyBytes = 255;

// Answers the exchange when its key is malformed or was used before (the recorded decision,
// or a 422 for another request under the same key); true when it did.
bool answered_as_repeat(store::DecisionLog* log, Exchange& ex);

// The request's key, or nullopt when it sent none (or the service records nothing).
std::optional<IdempotencyKey> idempotency_key(store::DecisionLog* log, const HttpRequest& request);

// The answer for a key already used: the recorded decision, or the 422; nullopt when unused.
std::optional<HttpResponse> repeated_answer(store::DecisionLog& log, const IdempotencyKey& key,
                                            RequestNotes& notes);

}  // namespace kyc::server
