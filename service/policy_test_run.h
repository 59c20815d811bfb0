// A policy's tests run for change control: the problems of the test file itself and the result
// of every case. --require-tests runs the file beside the policy before each activation; the
// console runs a draft's tests, and its deploy refuses a policy whose tests do not all pass.
#pragma once

#include <memory>
#include <string>

#include "dsl/diagnostics.h"
#include "dsl/policy_loader.h"
#include "dsl/policy_tests.h"
#include "dsl/source.h"

namespace kyc::service {

struct TestRun {
  std::shared_ptr<const dsl::SourceFile> file;  // the tests' text, which diagnostics point into
  dsl::Diagnostics diagnostics;                 // problems in the test file (sorted)
  dsl::PolicyTestReport report;

  size_t cases() const { return report.passed + report.failed; }
  // The test file reads, it has at least one case, and every case passes.
  bool passed() const { return !diagnostics.has_errors() && cases() > 0 && report.failed == 0; }
};

// Runs the cases of `text` (named `name` in positions) against a policy that loaded.
TestRun run_tests(const dsl::LoadedPolicy& policy, std::string name, std::string text);

}  // namespace kyc::service
