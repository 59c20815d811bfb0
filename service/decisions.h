// The decision itself, shared by every route that makes one: facts in (from the caller or from
// the adapters), the service's own facts added (the clock, the account store), the engine run,
// and the record kept in the decision log before anyone is told.
#pragma once

#include <boost/json/object.hpp>
#include <boost/system/result.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/json/facts_reader.h"
#include "engine/outcome.h"
#include "service/policy_store.h"
#include "store/account_store.h"
#include "store/chain_key.h"
#include "store/decision_log.h"
#include "store/document_key.h"

namespace kyc::service {

class Checkpoints;
class PersonalSeal;

// Where the service keeps decisions and accounts; a null member is absent (the decision is
// then not recorded, or the account facts stay missing).
struct Stores {
  store::DecisionLog* decisions = nullptr;
  store::AccountStore* accounts = nullptr;
  const store::DocumentKey* document_key = nullptr;
  store::OpenLogReader open_reader;  // the chain check and bulk reads; unset: `decisions`
  const store::ChainKey* chain_key = nullptr;  // the log's links are keyed with it
  Checkpoints* checkpoints = nullptr;          // signs the chain's head (GET /v1/audit/head)
  // Seals the personal facts of each record and opens them for readers (personal_seal.h);
  // null: records keep facts in clear (tests of other parts, an in-memory service).
  PersonalSeal* seal = nullptr;
};

struct DecisionInput {
  // Dotted or nested names, as /v1/evaluate takes them. Recorded whole, the facts the policy
  // does not declare included (see recorded_facts.h).
  const boost::json::object& facts;
  std::string account_id;  // "" when none
  std::string locale = "en";
  std::string stage;  // "evaluate" or "verification": recorded with the decision
  // An admin may set the facts the service owns (`account.*`, `primary.*`, `today`: tests,
  // corrections, backfills); anyone else's values for them are set aside, listed in
  // `ignored_facts`, and recorded apart from the facts (recorded_facts.h).
  bool admin = false;
};

// A decision made and ready to record.
struct Decided {
  std::string decision_json;  // the answer, byte for byte what the log keeps
  std::string decision_id;
  engine::Outcome outcome = engine::Outcome::Approve;
  std::vector<std::string> reasons;  // the codes that fired
  store::AuditRecord record;
  // The personal values the account store filled in (primary.name, primary.birth_date), as
  // the decision's JSON shows them (personal_facts.h, as_json_text): a caller without the
  // admin role cannot send them, so one that does not audit gets the decision with these
  // withheld.
  std::vector<std::string> store_personal_values;
};

// Why no decision was made.
struct NotDecided {
  enum class Why { NoPolicy, InvalidFacts, StoreUnavailable, AccountErased };
  Why why = Why::NoPolicy;
  std::string detail;                    // one sentence
  std::vector<engine::FactError> facts;  // InvalidFacts: every fact that was refused
};
[[noreturn]] void throw_exception_from_error(const NotDecided& e,
                                             const boost::source_location& where);
using DecisionResult = boost::system::result<Decided, NotDecided>;

// How recording ended (see store::DecisionLog::Commit), with the decision when one was made.
struct Recorded {
  DecisionResult decision;
  store::DecisionLog::Commit commit = store::DecisionLog::Commit::Failed;
};

class Decisions {
 public:
  Decisions(PolicyStore& policies, Stores stores) : policies_(policies), stores_(stores) {}

  // One decision on the running policy; not recorded.
  DecisionResult decide(const DecisionInput& in);

  // Runs `make` (which calls decide()) and records its decision; `done` hears once it is
  // durable, or why not. A conflict (another approval linked the same document meanwhile)
  // runs `make` again with fresh account facts, a few times at most. Without a decision log
  // `done` hears Committed at once.
  using Make = std::function<DecisionResult()>;
  void decide_and_record(Make make, std::optional<store::AuditRecord::Idempotency> key,
                         std::function<void(Recorded)> done);

  PolicyStore& policies() { return policies_; }
  const Stores& stores() const { return stores_; }

 private:
  void attempt(std::shared_ptr<Make> make, std::optional<store::AuditRecord::Idempotency> key,
               std::shared_ptr<std::function<void(Recorded)>> done, int n);

  PolicyStore& policies_;
  Stores stores_;
};

}  // namespace kyc::service
