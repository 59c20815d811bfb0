#include "server/handlers/idempotency.h"

#include <boost/json.hpp>
#include <string_view>
#include <vector>

#include "common/sha256.h"
#include "server/handlers/handlers.h"
#include "server/http/bearer_token.h"
#include "server/http/multipart.h"

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

// What identifies a request's content. A multipart upload is its parts (name, file name, type
// and bytes), not its body: a client that retries builds the body again, with a new random
// boundary, and the same photos must still find their first decision.
std::string request_digest(const HttpRequest& request) {
  std::vector<std::string_view> fields{request.method, " ", request.target};
  std::vector<FormPart> parts;
  if (auto boundary = form_boundary(request.content_type)) {
    auto parsed = parse_multipart(request.body, *boundary, MultipartLimits{});
    // A body that does not parse is refused by the route; its bytes identify it meanwhile.
    if (parsed) parts = std::move(*parsed);
  }
  if (parts.empty()) {
    fields.insert(fields.end(), {std::string_view("\0", 1), request.body});
    return common::sha256_hex(fields);
  }
  // Each field is preceded by its length, so no two lists of parts hash alike.
  std::vector<std::string> lengths;
  lengths.reserve(4 * parts.size());
  for (const FormPart& part : parts)
    for (std::string_view field : {std::string_view(part.name), std::string_view(part.filename),
                                   std::string_view(part.content_type), part.body}) {
      lengths.push_back("\0" + std::to_string(field.size()) + ":");
      fields.insert(fields.end(), {lengths.back(), field});
    }
  return common::sha256_hex(fields);
}

}  // namespace

std::optional<IdempotencyKey> idempotency_key(store::DecisionLog* log, const HttpRequest& request) {
  if (request.idempotency_key.empty() || !log) return std::nullopt;
  std::string_view token = bearer_token(request.authorization).value_or(request.authorization);
  return IdempotencyKey{
      common::sha256_hex({token, std::string_view("\0", 1), request.idempotency_key}),
      request_digest(request)};
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
