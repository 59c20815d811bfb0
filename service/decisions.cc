#include "service/decisions.h"

#include <algorithm>
#include <boost/json.hpp>
#include <stdexcept>

#include "common/civil_date.h"
#include "engine/evaluator.h"
#include "engine/json/decision.h"
#include "engine/outcome.h"
#include "service/clock.h"
#include "service/decision_id.h"
#include "service/personal_facts.h"
#include "service/personal_seal.h"
#include "service/recorded_facts.h"
#include "store/decision_summary.h"

namespace kyc::service {

void throw_exception_from_error(const NotDecided& e, const boost::source_location&) {
  throw std::runtime_error("no decision: " + e.detail);
}

namespace {

using Commit = store::DecisionLog::Commit;

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

NotDecided not_decided(NotDecided::Why why, std::string detail) {
  return NotDecided{why, std::move(detail), {}};
}

// Step 1: the caller's facts. Facts the service owns are set aside for anyone but an admin.
boost::system::result<std::vector<std::string>, NotDecided> read_caller_facts(
    const DecisionInput& in, engine::FactFrame& frame) {
  engine::FactsOptions reading;
  if (!in.admin) reading.withheld = &engine::service_owned;
  engine::FactsResult read = engine::read_facts(in.facts, frame, reading);
  if (!read.ok()) {
    const auto& first = read.errors.front();
    return NotDecided{NotDecided::Why::InvalidFacts, first.path + ": " + first.message,
                      std::move(read.errors)};
  }
  return std::move(read.ignored);
}

// Step 2: the service clock decides what "today" is (an admin's own value stands).
void add_clock(const engine::CompiledPolicy& policy, engine::FactFrame& frame) {
  if (auto slot = policy.schema.find("today"))
    if (!frame.has(*slot)) frame.set(*slot, engine::Value::date(common::today_utc()));
}

// What the account facts were read from, for the record.
struct AccountFacts {
  std::optional<std::string> document_hash;  // keyed hash of the document number
  int64_t other_accounts = 0;                 // as account.document_accounts read it
  std::vector<std::string> personal_values;   // Decided::store_personal_values
};

// Step 3: the account store's facts. Without an account, or without a document number to
// look up, they stay missing: the rules that read them are undetermined, never approve. An
// admin's own values stand (tests, corrections).
boost::system::result<AccountFacts, NotDecided> add_account_facts(const DecisionInput& in,
                                                                  const Stores& stores,
                                                                  const engine::CompiledPolicy& policy,
                                                                  engine::FactFrame& frame) {
  AccountFacts found;
  if (in.account_id.empty() || !stores.accounts) return found;
  auto fill = [&](const char* name, engine::Value v) {
    auto slot = policy.schema.find(name);
    if (!slot || (in.admin && frame.has(*slot))) return;
    frame.set(*slot, v);
    // The caller never sent these: one that does not audit does not get them back.
    if (is_personal_fact(name))
      if (auto shown = engine::to_json(v); shown.is_string() && !shown.get_string().empty())
        found.personal_values.push_back(as_json_text(shown.get_string()));
  };
  auto unavailable = [](const common::Error& e) {
    return not_decided(NotDecided::Why::StoreUnavailable, e.message);
  };
  auto number = policy.schema.find("document.number");
  if (stores.document_key && number && frame.has(*number) &&
      frame.get(*number).kind == engine::Value::Kind::String)
    found.document_hash = stores.document_key->hash(frame.get(*number).str());
  auto reading = stores.accounts->read_for_decision(in.account_id, found.document_hash);
  if (!reading) return unavailable(reading.error());
  if (found.document_hash) {
    found.other_accounts = reading->other_accounts;
    fill("account.document_accounts", engine::Value::integer(found.other_accounts));
  }
  fill("account.failed_attempts", engine::Value::integer(reading->failed_attempts));
  if (reading->primary) {
    const store::PrimaryData& p = *reading->primary;
    fill("primary.name", engine::Value::string(p.full_name));
    fill("primary.country", engine::Value::string(p.country));
    fill("primary.document_type", engine::Value::string(p.document_type));
    if (auto born = common::parse_date(p.birth_date))
      fill("primary.birth_date", engine::Value::date(*born));
    // The primary number is kept only as a keyed hash: the policy sees whether it matches.
    if (found.document_hash)
      fill("primary.document_matches",
           engine::Value::boolean(*found.document_hash == p.document_hash));
  }
  return found;
}

// The log's search columns, from the decision itself: the log's writer, which has the other
// core, then need not parse the JSON back (store/decision_summary.h reads it the same way).
store::DecisionSummary search_summary(const engine::Decision& decision) {
  store::DecisionSummary s;
  s.is_decision = true;
  s.outcome = engine::outcome_name(decision.outcome);
  for (const auto& r : decision.reasons) s.reasons.push_back(r.code);
  for (const auto& u : decision.undetermined) {
    s.undetermined.push_back(u.code);
    for (const auto& fact : u.missing)
      if (std::find(s.missing.begin(), s.missing.end(), fact) == s.missing.end())
        s.missing.push_back(fact);
  }
  s.policy_version = decision.policy_version;
  return s;
}

// Step 5: what the log keeps: every fact (recorded_facts.h), the clock, the policy, the answer, and
// the account changes the decision makes (an approval links the document; anything else is
// a failed attempt).
store::AuditRecord audit_record(const DecisionInput& in, const engine::Decision& decision,
                                const std::string& decision_json, const engine::FactFrame& frame,
                                const ActivePolicy& active, const AccountFacts& account) {
  store::AuditRecord record;
  record.decision_id = decision.decision_id;
  record.time = decision.evaluated_at;
  record.account_id = decision.account_id;
  record.stage = in.stage;
  record.facts = recorded_facts(frame, in.facts, in.admin);
  record.today = decision.today;
  record.policy_sha256 = active.compiled->sha256;
  record.policy_text = active.source_text;
  record.policy_files = active.files;
  record.decision = decision_json;
  record.summary = search_summary(decision);
  if (!in.account_id.empty()) {
    record.failed_attempt = decision.outcome != engine::Outcome::Approve;
    if (decision.outcome == engine::Outcome::Approve && account.document_hash)
      record.link = store::AuditRecord::DocumentLink{*account.document_hash, account.other_accounts};
  }
  return record;
}

// A conflict means another approval linked the same document between this decision and its
// commit: decide again with the fresh count, a few times at most.
constexpr int kMaxDecisionAttempts = 3;

}  // namespace

DecisionResult Decisions::decide(const DecisionInput& in) {
  auto active = policies_.current();
  if (!active) return not_decided(NotDecided::Why::NoPolicy, "no policy is loaded");
  const engine::CompiledPolicy& policy = *active->compiled;
  ThreadDecider& decider = decider_for(active->compiled);
  engine::FactFrame& frame = *decider.frame;

  auto ignored = read_caller_facts(in, frame);
  if (!ignored) return ignored.error();
  add_clock(policy, frame);
  auto account = add_account_facts(in, stores_, policy, frame);
  if (!account) return account.error();

  // Step 4: evaluate, and explain the verdict in the caller's language.
  engine::Evaluator& ev = *decider.evaluator;
  engine::Decision decision = engine::explain(ev, frame, ev.evaluate(frame), in.locale);
  decision.decision_id = new_decision_id();
  decision.ignored_facts = std::move(*ignored);
  decision.evaluated_at = now_rfc3339();
  decision.account_id = in.account_id;

  Decided out;
  out.decision_json = engine::decision_json(decision);
  out.decision_id = decision.decision_id;
  out.outcome = decision.outcome;
  for (const auto& r : decision.reasons) out.reasons.push_back(r.code);
  out.store_personal_values = std::move(account->personal_values);
  out.record = audit_record(in, decision, out.decision_json, frame, *active, *account);
  // Step 6: personal facts sealed under the account's key. An erased account takes no new
  // personal data: its key is gone, and a new one would hide that it was erased.
  if (stores_.seal)
    if (auto sealed = stores_.seal->seal(out.record, policy.schema, account->document_hash);
        !sealed) {
      if (!in.account_id.empty() && stores_.seal->erased(in.account_id))
        return not_decided(NotDecided::Why::AccountErased,
                           "account " + in.account_id + " was erased; it takes no new decisions");
      return not_decided(NotDecided::Why::StoreUnavailable, sealed.error().message);
    }
  return out;
}

void Decisions::decide_and_record(Make make, std::optional<store::AuditRecord::Idempotency> key,
                                  std::function<void(Recorded)> done) {
  attempt(std::make_shared<Make>(std::move(make)), std::move(key),
          std::make_shared<std::function<void(Recorded)>>(std::move(done)), 1);
}

void Decisions::attempt(std::shared_ptr<Make> make,
                        std::optional<store::AuditRecord::Idempotency> key,
                        std::shared_ptr<std::function<void(Recorded)>> done, int n) {
  DecisionResult decision = (*make)();
  if (!decision || !stores_.decisions)
    return (*done)(Recorded{std::move(decision), Commit::Committed});
  store::AuditRecord record = std::move(decision->record);
  record.idempotency = key;
  stores_.decisions->append(
      std::move(record), [this, make, key, done, n, decision = std::move(decision)](
                             Commit commit) mutable {
        if (commit == Commit::Conflict && n < kMaxDecisionAttempts)
          return attempt(make, key, done, n + 1);
        (*done)(Recorded{std::move(decision), commit});
      });
}

}  // namespace kyc::service
