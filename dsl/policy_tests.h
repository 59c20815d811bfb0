// `kyc test`: runs the cases of a `.test` file against its policy. Each case starts from its
// fixture chain, sets its given facts, and checks the outcome and the exact reason codes.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "dsl/diagnostics.h"
#include "dsl/policy_loader.h"

namespace kyc::dsl {

// A case whose outcome or reasons differ from what it expects. Kept in parts so that an editor
// can put the message at the case's line; text() is the line `kyc test` prints.
struct CaseFailure {
  std::string file;
  Location at;            // of the `case` keyword
  std::string case_name;  // as written between the quotes
  std::string message;    // what differs
  // "FILE:LINE:COL: case "...": what differs"
  std::string text() const;
};

struct PolicyTestReport {
  size_t passed = 0;
  size_t failed = 0;
  std::vector<CaseFailure> failures;
  std::set<std::string> fired;         // reason codes some case fired
  std::set<std::string> undetermined;  // reason codes some case left undetermined
};

// Problems in the test file itself (syntax, unknown names) go to `diags`; failing cases to
// the report. Results accumulate into `report` so several files can share one summary.
void run_policy_tests(const LoadedPolicy& policy, const SourceFile& tests, Diagnostics& diags,
                      PolicyTestReport& report);

}  // namespace kyc::dsl
