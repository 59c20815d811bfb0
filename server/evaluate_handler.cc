// POST /v1/evaluate: facts in, decision out.
#include <boost/json.hpp>

#include "adapters/store/account_store.h"
#include "adapters/store/audit_log.h"
#include "adapters/store/document_key.h"
#include "engine/date.h"
#include "engine/decision.h"
#include "engine/evaluator.h"
#include "engine/facts_json.h"
#include "engine/facts_reader.h"
#include "server/api.h"
#include "server/decision_id.h"

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

// One evaluator per io thread, rebuilt when the policy changes: evaluation then allocates
// nothing but the decision itself.
engine::Evaluator& evaluator_for(const std::shared_ptr<const engine::CompiledPolicy>& policy) {
  thread_local std::shared_ptr<const engine::CompiledPolicy> bound;
  thread_local std::unique_ptr<engine::Evaluator> evaluator;
  if (bound != policy) {
    bound = policy;
    evaluator = std::make_unique<engine::Evaluator>(*policy);
  }
  return *evaluator;
}

}  // namespace

namespace {

HttpResponse decide(Api& api, const HttpRequest& request, Roles caller, RequestNotes& notes,
                    store::AuditRecord& record);

}  // namespace

namespace {

// A conflict means another approval linked the same document between this decision and its
// commit: decide again with the fresh count, a few times at most.
constexpr int kMaxDecisionAttempts = 3;

void evaluate_attempt(Api& api, std::shared_ptr<Exchange> ex, int attempt) {
  store::AuditRecord record;
  HttpResponse response = decide(api, ex->request, ex->caller, ex->notes, record);
  if (response.status != 200 || !api.audit()) return ex->respond(std::move(response));
  // Durable before the answer: the 200 leaves only once the record is committed.
  api.audit()->append(std::move(record), [&api, ex, attempt, response = std::move(response)](
                                             store::AuditLog::Commit result) mutable {
    using Commit = store::AuditLog::Commit;
    if (result == Commit::Committed) return ex->respond(std::move(response));
    ex->notes.decision_id.clear();
    if (result == Commit::Conflict && attempt < kMaxDecisionAttempts)
      return evaluate_attempt(api, ex, attempt + 1);
    ex->respond(
        problem(503, "audit-unavailable", "Decision not recorded",
                result == Commit::Conflict
                    ? "the document's accounts kept changing during the decision; retry"
                    : "the audit log cannot be written; no decision was made, retry later"));
  });
}

}  // namespace

void handle_evaluate(Api& api, std::shared_ptr<Exchange> ex) {
  evaluate_attempt(api, std::move(ex), 1);
}

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
    HttpResponse r = problem(400, "malformed-json", "Malformed JSON",
                             "invalid JSON at byte " + std::to_string(used) + ": " + ec.message());
    auto body = boost::json::parse(r.body).as_object();
    body["offset"] = used;
    r.body = boost::json::serialize(body);
    return r;
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

  auto active = api.policies().current();
  if (!active) return problem(503, "not-ready", "Not ready", "no policy is loaded");
  const auto& policy = *active->compiled;
  engine::FactFrame frame(policy.schema);
  engine::FactsResult read = engine::read_facts(body.at("facts"), frame);
  if (!read.ok()) {
    boost::json::array errors;
    for (const auto& e : read.errors) errors.push_back({{"path", e.path}, {"message", e.message}});
    HttpResponse r = problem(422, "invalid-facts", "Invalid facts",
                             read.errors.front().path + ": " + read.errors.front().message);
    auto b = boost::json::parse(r.body).as_object();
    b["errors"] = std::move(errors);
    r.body = boost::json::serialize(b);
    return r;
  }
  // The service clock decides what "today" is; only an admin may set it (tests, backfills).
  if (auto slot = policy.schema.find("today")) {
    if (frame.has(*slot) && !(caller & kAdmin))
      return problem(403, "forbidden", "Forbidden",
                     "only the admin role may set the fact \"today\"");
    if (!frame.has(*slot)) frame.set(*slot, engine::Value::date(engine::today_utc()));
  }
  // Facts from the account store. The store wins over what the caller sent, unless the caller
  // is an admin (tests, corrections).
  std::string account_id;
  if (auto* a = body.if_contains("account_id")) account_id = std::string(a->get_string());
  std::optional<std::string> document_hash;
  int64_t other_accounts = 0;
  auto fill = [&](const char* name, engine::Value v) {
    auto slot = policy.schema.find(name);
    if (slot && !((caller & kAdmin) && frame.has(*slot))) frame.set(*slot, v);
  };
  if (api.audit() && api.document_key() && !account_id.empty()) {
    auto number = policy.schema.find("document.number");
    if (number && frame.has(*number) && frame.get(*number).kind == engine::Value::Kind::String) {
      document_hash = api.document_key()->hash(frame.get(*number).str());
      other_accounts = api.audit()->other_accounts(*document_hash, account_id);
      fill("account.document_accounts", engine::Value::integer(other_accounts));
    }
    fill("account.failed_attempts",
         engine::Value::integer(api.audit()->failed_attempts(account_id)));
  }
  if (api.accounts() && !account_id.empty()) {
    if (auto primary = api.accounts()->primary(account_id)) {
      fill("primary.name", engine::Value::string(primary->full_name));
      fill("primary.country", engine::Value::string(primary->country));
      fill("primary.document_type", engine::Value::string(primary->document_type));
      if (auto born = engine::parse_date(primary->birth_date))
        fill("primary.birth_date", engine::Value::date(*born));
      // The primary number is kept only as a keyed hash: the policy sees whether it matches.
      if (document_hash)
        fill("primary.document_matches",
             engine::Value::boolean(*document_hash == primary->document_hash));
    }
  }
  engine::Evaluator& ev = evaluator_for(active->compiled);
  const engine::Verdict& verdict = ev.evaluate(frame);
  engine::Decision decision = engine::explain(ev, frame, verdict, locale);
  decision.decision_id = new_decision_id();
  decision.ignored_facts = read.ignored;
  decision.evaluated_at = now_rfc3339();
  if (auto* a = body.if_contains("account_id")) decision.account_id = std::string(a->get_string());
  boost::json::object out = engine::to_json(decision);

  api.metrics().decision(decision.outcome);
  for (const auto& r : decision.reasons) api.metrics().reason_fired(r.code);
  notes.decision_id = decision.decision_id;
  notes.outcome = std::string(engine::outcome_name(decision.outcome));
  HttpResponse r;
  r.body = boost::json::serialize(out);
  record.decision_id = decision.decision_id;
  record.time = decision.evaluated_at;
  record.account_id = decision.account_id;
  record.stage = "evaluate";
  record.facts = engine::facts_json(frame);  // the facts as evaluated
  record.today = decision.today;
  record.policy_sha256 = policy.sha256;
  record.policy_text = active->source_text;
  record.decision = r.body;
  if (!account_id.empty()) {
    record.failed_attempt = decision.outcome != engine::Outcome::Approve;
    if (decision.outcome == engine::Outcome::Approve && document_hash)
      record.link = store::AuditRecord::DocumentLink{*document_hash, other_accounts};
  }
  return r;
}

}  // namespace

}  // namespace kyc::server
