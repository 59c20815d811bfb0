// A decision as the API shows it: outcome, the reasons that fired with their localized texts
// and evidence, the reasons that could not be decided and the facts they miss.
#pragma once

#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "engine/evaluator.h"

namespace kyc::engine {

struct Evidence {
  std::string atom;           // canonical source text of the atom that was true
  boost::json::object facts;  // the fact values it read
};

struct FiredReason {
  std::string code;
  Outcome outcome;
  std::string title, detail, action;
  std::vector<Evidence> evidence;
};

struct UndeterminedReason {
  std::string code;
  Outcome outcome;  // the policy's `on missing`
  std::vector<std::string> missing;
};

struct Decision {
  std::string decision_id;  // set by the caller (service) when it records the decision
  Outcome outcome = Outcome::Approve;
  std::vector<FiredReason> reasons;
  std::vector<UndeterminedReason> undetermined;
  std::vector<std::string> ignored_facts;
  std::string policy_name, policy_version, policy_sha256;
  std::string locale;
  std::string today;         // the `today` fact the decision used
  std::string evaluated_at;  // when: a timestamp set by the service (or `today` in the CLI)
  std::string account_id;    // set by the service when the request names one
};

// Builds the decision for a verdict the evaluator just produced for these facts. Only fired
// and undetermined reasons cost anything here. Unknown locales fall back to the first one.
Decision explain(Evaluator& evaluator, const FactFrame& facts, const Verdict& verdict,
                 const std::string& locale);

// The one serialisation of a decision: the service answers with it, the audit log stores it,
// and replay compares against it byte for byte. Written straight into a string, byte for
// byte what Boost.JSON would write for the same tree (tests/engine/decision_json_test.cc).
std::string decision_json(const Decision& d);
boost::json::value to_json(const Value& v);
// Fills a message template with fact and constant values.
std::string render(const MessageTemplate& tmpl, const FactFrame& facts);

}  // namespace kyc::engine
