#include "server/handlers/idempotency.h"

#include <boost/json.hpp>

#include "common/sha256.h"
#include "server/handlers/handlers.h"

namespace kyc::server {

namespace {

// RFC 8941 leaves the key's form to the API; printable ASCII keeps it safe in logs and
// headers, and 255 bytes is more than a UUID or a ULID needs.
bool valid_key(const std::string& key) {
  if (key.empty() || key.size() > kMaxIdempotencyKeyBytes) return false;
  for (char c : key)
    if (c < 0x21 || c > 0x7e) return false;
  return true;
}

}  // namespace

std::optional<IdempotencyKey> idempotency_key(store::DecisionLog* log, const HttpRequest& request) {
  if (request.idempotency_key.empty() || !log) return std::nullopt;
  std::string_view token = request.authorization;
  if (token.starts_with("Bearer ")) token.remove_prefix(7);
  return IdempotencyKey{
      common::sha256_hex({token, std::string_view("\0", 1), request.idempotency_key}),
      common::sha256_hex(
          {request.method, " ", request.target, std::string_view("\0", 1), request.body})};
}

std::optional<HttpResponse> repeated_answer(store::DecisionLog& log, const IdempotencyKey& key,
                                            RequestNotes& notes) {
  auto remembered = log.idempotent(key.scope);
  if (!remembered) return store_problem(remembered.error());
  auto& prior = *remembered;
  if (!prior) return std::nullopt;
  if (prior->request_sha256 != key.request_sha256)
    return problem(422, "idempotency-key-reused", "Idempotency key reused",
                   "this Idempotency-Key was sent with another request in the last 24 hours; "
                   "use a new key for a new request");
  auto stored = recorded_decision(&log, prior->decision_id);
  if (!stored)
    return problem(500, "internal", "Internal error", "the key's decision cannot be read");
  HttpResponse r;
  r.body = stored->record.decision;
  r.headers.emplace_back("Idempotent-Replayed", "true");
  notes.decision_id = prior->decision_id;
  boost::system::error_code ec;
  auto decision = boost::json::parse(r.body, ec);
  if (!ec && decision.is_object())
    if (auto* outcome = decision.get_object().if_contains("outcome");
        outcome && outcome->is_string())
      notes.outcome = std::string(outcome->get_string());
  return r;
}

bool answered_as_repeat(store::DecisionLog* log, Exchange& ex) {
  if (ex.request.idempotency_key.empty()) return false;
  if (!valid_key(ex.request.idempotency_key)) {
    ex.respond(problem(400, "invalid-idempotency-key", "Invalid Idempotency-Key",
                       "the key must be 1 to " + std::to_string(kMaxIdempotencyKeyBytes) +
                           " printable ASCII characters"));
    return true;
  }
  auto key = idempotency_key(log, ex.request);
  if (!key) return false;
  auto answer = repeated_answer(*log, *key, ex.notes);
  if (!answer) return false;
  ex.respond(std::move(*answer));
  return true;
}

}  // namespace kyc::server
