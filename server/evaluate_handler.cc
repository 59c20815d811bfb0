// POST /v1/evaluate: facts in, decision out.
#include <boost/json.hpp>

#include "server/decide.h"
#include "server/idempotency.h"

namespace kyc::server {

namespace {

bool is_json(const std::string& content_type) {
  std::string base = content_type.substr(0, content_type.find(';'));
  while (!base.empty() && base.back() == ' ') base.pop_back();
  for (char& c : base) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return base == "application/json";
}

size_t count_elements(const boost::json::value& v) {
  size_t n = 1;
  if (v.is_object())
    for (const auto& [k, x] : v.get_object()) n += count_elements(x);
  else if (v.is_array())
    for (const auto& x : v.get_array()) n += count_elements(x);
  return n;
}

}  // namespace

namespace {

HttpResponse decide(Api& api, const HttpRequest& request, Roles caller, RequestNotes& notes,
                    store::AuditRecord& record) {
  const Limits& limits = api.options().limits;
  if (!is_json(request.content_type))
    return problem(415, "unsupported-media-type", "Unsupported media type",
                   "send the request as Content-Type: application/json");
  boost::json::parse_options po;
  po.max_depth = limits.json_depth;
  // The request's JSON lives only while it is handled: parse it into a stack buffer first.
  unsigned char arena[16384];
  boost::json::monotonic_resource memory(arena, sizeof arena);
  boost::json::stream_parser parser({}, po);
  parser.reset(&memory);
  boost::system::error_code ec;
  size_t used = parser.write_some(request.body.data(), request.body.size(), ec);
  if (!ec) parser.finish(ec);
  if (!ec && request.body.find_first_not_of(" \t\r\n", used) != std::string::npos)
    ec = boost::json::error::extra_data;
  if (ec) {
    return problem(400, "malformed-json", "Malformed JSON",
                   "invalid JSON at byte " + std::to_string(used) + ": " + ec.message(),
                   {{"offset", used}});
  }
  boost::json::value doc = parser.release();
  if (count_elements(doc) > limits.json_elements)
    return problem(
        413, "too-many-elements", "Too many JSON elements",
        "the request has more than " + std::to_string(limits.json_elements) + " JSON values");
  if (!doc.is_object() || !doc.get_object().contains("facts") ||
      !doc.get_object().at("facts").is_object())
    return problem(422, "invalid-request", "Invalid request",
                   "the body must be an object with a \"facts\" object");
  const auto& body = doc.get_object();
  std::string locale = "en";
  if (auto* l = body.if_contains("locale")) {
    if (!l->is_string())
      return problem(422, "invalid-request", "Invalid request", "\"locale\" must be a string");
    locale = std::string(l->get_string());
  }
  if (auto* a = body.if_contains("account_id"); a && !a->is_string())
    return problem(422, "invalid-request", "Invalid request", "\"account_id\" must be a string");

  std::string account_id;
  if (auto* a = body.if_contains("account_id")) account_id = std::string(a->get_string());
  return decide_on_facts(
      api, {body.at("facts").get_object(), account_id, locale, "evaluate", caller}, notes, record);
}

}  // namespace

void handle_evaluate(Api& api, std::shared_ptr<Exchange> ex) {
  if (answered_as_repeat(api, *ex)) return;
  Exchange* e = ex.get();  // the exchange outlives every run of the decision
  answer_recorded(api, std::move(ex), [&api, e](RequestNotes& notes, store::AuditRecord& record) {
    return decide(api, e->request, e->caller, notes, record);
  });
}

}  // namespace kyc::server
