#include "server/decide.h"

#include <boost/json.hpp>

#include "adapters/store/account_store.h"
#include "adapters/store/document_key.h"
#include "common/civil_date.h"
#include "engine/decision.h"
#include "engine/evaluator.h"
#include "engine/facts_json.h"
#include "engine/facts_reader.h"
#include "server/decision_id.h"
#include "server/idempotency.h"

namespace kyc::server {

namespace {

// One evaluator and one fact frame per thread, rebuilt when the policy changes: a decision
// then allocates little beyond the decision itself.
struct ThreadDecider {
  std::shared_ptr<const engine::CompiledPolicy> bound;
  std::unique_ptr<engine::Evaluator> evaluator;
  std::unique_ptr<engine::FactFrame> frame;
};

ThreadDecider& decider_for(const std::shared_ptr<const engine::CompiledPolicy>& policy) {
  thread_local ThreadDecider decider;
  if (decider.bound != policy) {
    decider.bound = policy;
    decider.evaluator = std::make_unique<engine::Evaluator>(*policy);
    decider.frame = std::make_unique<engine::FactFrame>(policy->schema);
  }
  decider.frame->reset();
  return decider;
}

// A conflict means another approval linked the same document between this decision and its
// commit: decide again with the fresh count, a few times at most.
constexpr int kMaxDecisionAttempts = 3;

void attempt(Api& api, std::shared_ptr<Exchange> ex, std::shared_ptr<Decide> decide, int n) {
  store::AuditRecord record;
  HttpResponse response = (*decide)(ex->notes, record);
  if (response.status != 200 || !api.audit()) return ex->respond(std::move(response));
  auto key = idempotency_key(api, ex->request);
  if (key) record.idempotency = store::AuditRecord::Idempotency{key->scope, key->request_sha256};
  api.audit()->append(std::move(record), [&api, ex, decide, n, key, response = std::move(response)](
                                             store::AuditLog::Commit result) mutable {
    using Commit = store::AuditLog::Commit;
    if (result == Commit::Committed) return ex->respond(std::move(response));
    ex->notes.decision_id.clear();
    // The same key's first request was recorded while this one was being decided.
    if (result == Commit::Repeated && key)
      if (auto answer = repeated_answer(api, *key, ex->notes))
        return ex->respond(std::move(*answer));
    if (result == Commit::Conflict && n < kMaxDecisionAttempts)
      return attempt(api, ex, decide, n + 1);
    ex->respond(
        problem(503, "audit-unavailable", "Decision not recorded",
                result == Commit::Conflict
                    ? "the document's accounts kept changing during the decision; retry"
                    : "the audit log cannot be written; no decision was made, retry later"));
  });
}

// `facts` (a JSON object text) with the flat facts of `all` that the schema does not declare.
std::string with_undeclared(std::string facts, const boost::json::object& all,
                            const engine::FactSchema& schema) {
  facts.pop_back();  // the closing brace
  for (const auto& [name, value] : all) {
    if (schema.find(name) || value.is_object()) continue;
    if (facts.size() > 1) facts += ',';
    facts += boost::json::serialize(boost::json::string_view(name));
    facts += ':';
    facts += boost::json::serialize(value);
  }
  facts += '}';
  return facts;
}

}  // namespace

void answer_recorded(Api& api, std::shared_ptr<Exchange> ex, Decide decide) {
  attempt(api, std::move(ex), std::make_shared<Decide>(std::move(decide)), 1);
}

HttpResponse decide_on_facts(Api& api, const DecisionInput& in, RequestNotes& notes,
                             store::AuditRecord& record) {
  auto active = api.policies().current();
  if (!active) return problem(503, "not-ready", "Not ready", "no policy is loaded");
  const auto& policy = *active->compiled;
  ThreadDecider& decider = decider_for(active->compiled);
  engine::FactFrame& frame = *decider.frame;
  // Facts the service owns (the account store's and the clock) come from the service: a
  // non-admin caller's values for them are set aside and listed in `ignored_facts`.
  engine::FactsOptions reading;
  if (!(in.caller & kAdmin)) reading.withheld = &engine::service_owned;
  engine::FactsResult read = engine::read_facts(in.facts, frame, reading);
  if (!read.ok()) {
    boost::json::array errors;
    for (const auto& e : read.errors) errors.push_back({{"path", e.path}, {"message", e.message}});
    return problem(422, "invalid-facts", "Invalid facts",
                   read.errors.front().path + ": " + read.errors.front().message,
                   {{"errors", std::move(errors)}});
  }
  // The service clock decides what "today" is; only an admin may set it (tests, backfills).
  if (auto slot = policy.schema.find("today"))
    if (!frame.has(*slot)) frame.set(*slot, engine::Value::date(common::today_utc()));
  // Facts from the account store. Without an account, or without a document number to look
  // up, they stay missing: the rules that read them are undetermined, never approve. An
  // admin's own values stand (tests, corrections).
  const std::string& account_id = in.account_id;
  std::optional<std::string> document_hash;
  int64_t other_accounts = 0;
  auto fill = [&](const char* name, engine::Value v) {
    auto slot = policy.schema.find(name);
    if (slot && !((in.caller & kAdmin) && frame.has(*slot))) frame.set(*slot, v);
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
      if (auto born = common::parse_date(primary->birth_date))
        fill("primary.birth_date", engine::Value::date(*born));
      // The primary number is kept only as a keyed hash: the policy sees whether it matches.
      if (document_hash)
        fill("primary.document_matches",
             engine::Value::boolean(*document_hash == primary->document_hash));
    }
  }
  engine::Evaluator& ev = *decider.evaluator;
  const engine::Verdict& verdict = ev.evaluate(frame);
  engine::Decision decision = engine::explain(ev, frame, verdict, in.locale);
  decision.decision_id = new_decision_id();
  decision.ignored_facts = std::move(read.ignored);
  decision.evaluated_at = now_rfc3339();
  decision.account_id = in.account_id;

  api.metrics().decision(decision.outcome);
  for (const auto& r : decision.reasons) api.metrics().reason_fired(r.code);
  notes.decision_id = decision.decision_id;
  notes.outcome = std::string(engine::outcome_name(decision.outcome));
  HttpResponse r;
  r.body = engine::decision_json(decision);
  record.decision_id = decision.decision_id;
  record.time = decision.evaluated_at;
  record.account_id = decision.account_id;
  record.stage = in.stage;
  record.facts = engine::facts_json(frame);  // the facts as evaluated
  if (in.record_undeclared) record.facts = with_undeclared(record.facts, in.facts, policy.schema);
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

}  // namespace kyc::server
