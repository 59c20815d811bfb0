// PUT /v1/accounts/{id}/primary: the primary-KYC data the document is later checked against.
// DELETE /v1/accounts/{id}: the account's personal data made unreadable everywhere.
#include <boost/json.hpp>

#include "common/civil_date.h"
#include "server/handlers/handlers.h"
#include "service/account_id.h"
#include "service/clock.h"
#include "service/personal_seal.h"

namespace kyc::server {

namespace {

HttpResponse erased_problem(const std::string& account_id) {
  return problem(410, "account-erased", "Account erased",
                 "account " + account_id + " was erased; it takes no new personal data");
}

}  // namespace

OrAnswer<void> checked_account_id(std::string_view id, const Limits& limits) {
  if (auto fit = service::check_account_id(id, limits.account_id_bytes); !fit)
    return problem(422, "invalid-request", "Invalid request", fit.error().message);
  return {};
}

HttpResponse erase_account(service::PersonalSeal* seal, const HttpRequest& request,
                           const Limits& limits) {
  if (!seal)
    return problem(503, "store-unavailable", "No personal data store",
                   "this service keeps no data keys, so there is nothing to erase");
  const std::string& account_id = request.params.at(0);
  if (auto fit = checked_account_id(account_id, limits); !fit) return fit.error();
  auto erased = seal->erase_account(account_id, service::now_rfc3339());
  if (!erased) return problem(503, "store-unavailable", "Not erased", erased.error().message);
  HttpResponse r;
  r.body = boost::json::serialize(boost::json::object{
      {"account_id", account_id},
      {"outcome", store::outcome_name(erased->outcome)},
      {"erased_at", erased->erased_at},
      {"storage_scrubbed", erased->storage_scrubbed}});
  return r;
}

HttpResponse put_primary(store::AccountStore* accounts, const store::DocumentKey* key,
                         service::PersonalSeal* seal, const HttpRequest& request,
                         const Limits& limits) {
  if (!accounts || !key)
    return problem(503, "store-unavailable", "No account store",
                   "this service has no account store");
  if (auto fit = checked_account_id(request.params.at(0), limits); !fit) return fit.error();
  if (seal && seal->erased(request.params.at(0))) return erased_problem(request.params.at(0));
  boost::system::error_code ec;
  auto body = boost::json::parse(request.body, ec);
  if (ec || !body.is_object())
    return problem(400, "malformed-json", "Malformed JSON", "the body must be a JSON object");
  const auto& o = body.get_object();
  auto text = [&](const char* key) -> std::optional<std::string> {
    auto* v = o.if_contains(key);
    if (!v || !v->is_string()) return std::nullopt;
    return std::string(v->get_string());
  };
  store::PrimaryData d;
  d.account_id = request.params.at(0);
  for (auto [key, field] : {std::pair{"full_name", &d.full_name},
                            {"birth_date", &d.birth_date},
                            {"country", &d.country},
                            {"document_type", &d.document_type}}) {
    auto v = text(key);
    if (!v)
      return problem(422, "invalid-primary", "Invalid primary data",
                     std::string("\"") + key + "\" must be a string");
    *field = *v;
  }
  auto number = text("document_number");
  if (!number || number->empty())
    return problem(422, "invalid-primary", "Invalid primary data",
                   "\"document_number\" must be a non-empty string");
  // They become the primary.* facts a decision compares the document with.
  for (auto [key, field] : {std::pair{"full_name", &d.full_name},
                            {"country", &d.country},
                            {"document_type", &d.document_type},
                            {"document_number", &*number}})
    if (field->size() > limits.fact_text_bytes)
      return problem(422, "invalid-primary", "Invalid primary data",
                     std::string("\"") + key + "\" holds " + std::to_string(field->size()) +
                         " bytes of text; at most " + std::to_string(limits.fact_text_bytes) +
                         " are accepted");
  if (!common::parse_date(d.birth_date))
    return problem(422, "invalid-primary", "Invalid primary data",
                   "\"birth_date\" must be a date YYYY-MM-DD");
  auto hashed = key->hash(*number);  // the number itself is not kept
  if (!hashed)
    return problem(422, "invalid-primary", "Invalid primary data",
                   "\"document_number\" holds a character no document number has: letters "
                   "A-Z, digits and separators only");
  d.document_hash = std::move(*hashed);
  if (auto stored = accounts->set_primary(d, service::now_rfc3339()); !stored)
    return problem(503, "store-unavailable", "Primary data not stored", stored.error().message);
  HttpResponse r;
  r.body =
      boost::json::serialize(boost::json::object{{"account_id", d.account_id}, {"stored", true}});
  return r;
}

}  // namespace kyc::server
