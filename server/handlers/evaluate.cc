// POST /v1/evaluate: facts in, decision out.
#include <algorithm>
#include <boost/json.hpp>
#include <utility>

#include "common/utf8.h"
#include "server/handlers/decision_answer.h"
#include "server/handlers/handlers.h"
#include "server/handlers/idempotency.h"

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

// The longest text in `v`, in bytes: the facts' strings, those in lists too, and the facts'
// names (an unknown fact is echoed in ignored_facts, so its name is text the answer carries).
size_t longest_text(const boost::json::value& v) {
  if (v.is_string()) return v.get_string().size();
  size_t longest = 0;
  if (v.is_array())
    for (const auto& x : v.get_array()) longest = std::max(longest, longest_text(x));
  if (v.is_object())
    for (const auto& [k, x] : v.get_object())
      longest = std::max({longest, k.size(), longest_text(x)});
  return longest;
}

// What the 422 says of the first text over the limit; built for the error only (naming facts
// on every request would cost the hot path).
struct TextOver {
  std::string fact;  // dotted name; for a name over the limit, its first bytes and "..."
  size_t bytes = 0;
  bool in_name = false;
};

TextOver fact_with_text_over(const boost::json::value& v, size_t max_bytes,
                             const std::string& name) {
  if (!v.is_object()) return {name, longest_text(v)};
  for (const auto& [k, x] : v.get_object()) {
    std::string dotted = name.empty() ? std::string(k) : name + "." + std::string(k);
    if (k.size() > max_bytes) {
      constexpr size_t kShown = 40;  // enough to find it in the caller's code
      if (k.size() > kShown)
        dotted = common::repaired_utf8(dotted.substr(0, dotted.size() - k.size() + kShown)) + "...";
      return {dotted, k.size(), true};
    }
    auto found = fact_with_text_over(x, max_bytes, dotted);
    if (found.bytes > max_bytes) return found;
  }
  return {};
}

// The request's JSON, parsed once into a buffer of its own that lives as long as the decision
// (which runs again on an account-store conflict): one allocation per request.
struct ParsedRequest {
  unsigned char arena[16384];
  boost::json::monotonic_resource memory{arena, sizeof arena};
  boost::json::value doc;
  std::string account_id;
  std::string locale = "en";
};

// The request's body checked and parsed, or the problem to answer.
OrAnswer<std::shared_ptr<ParsedRequest>> read_request(const HttpRequest& request,
                                                      const Limits& limits) {
  if (!is_json(request.content_type))
    return problem(415, "unsupported-media-type", "Unsupported media type",
                   "send the request as Content-Type: application/json");
  // `new`, not make_shared: the arena is left uninitialised rather than zeroed per request.
  std::shared_ptr<ParsedRequest> parsed(new ParsedRequest);
  boost::json::parse_options po;
  po.max_depth = limits.json_depth;
  boost::json::stream_parser parser({}, po);
  parser.reset(&parsed->memory);
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
  parsed->doc = parser.release();
  const boost::json::value& doc = parsed->doc;
  if (count_elements(doc) > limits.json_elements)
    return problem(
        413, "too-many-elements", "Too many JSON elements",
        "the request has more than " + std::to_string(limits.json_elements) + " JSON values");
  if (!doc.is_object() || !doc.get_object().contains("facts") ||
      !doc.get_object().at("facts").is_object())
    return problem(422, "invalid-request", "Invalid request",
                   "the body must be an object with a \"facts\" object");
  const auto& body = doc.get_object();
  if (longest_text(body.at("facts")) > limits.fact_text_bytes) {
    auto over = fact_with_text_over(body.at("facts"), limits.fact_text_bytes, "");
    return problem(422, "invalid-request", "Invalid request",
                   "fact \"" + over.fact + (over.in_name ? "\" has a name of " : "\" holds ") +
                       std::to_string(over.bytes) + " bytes of text; at most " +
                       std::to_string(limits.fact_text_bytes) + " are accepted");
  }
  if (auto* l = body.if_contains("locale")) {
    if (!l->is_string())
      return problem(422, "invalid-request", "Invalid request", "\"locale\" must be a string");
    parsed->locale = std::string(l->get_string());
  }
  if (auto* a = body.if_contains("account_id")) {
    if (!a->is_string())
      return problem(422, "invalid-request", "Invalid request", "\"account_id\" must be a string");
    if (auto fit = checked_account_id(a->get_string(), limits); !fit) return fit.error();
    parsed->account_id = std::string(a->get_string());
  }
  return parsed;
}

}  // namespace

void evaluate(DecisionRoute route, std::shared_ptr<Exchange> ex) {
  if (answered_as_repeat(route.decisions.stores().decisions, *ex)) return;
  auto read = read_request(ex->request, route.limits);
  if (!read) return ex->respond(read.error());
  bool admin = ex->caller & service::kAdmin;
  answer_recorded(route, std::move(ex), [route, parsed = std::move(*read), admin] {
    return route.decisions.decide({parsed->doc.get_object().at("facts").get_object(),
                                   parsed->account_id, parsed->locale, "evaluate", admin});
  });
}

}  // namespace kyc::server
