#include "service/policy_test_run.h"

namespace kyc::service {

TestRun run_tests(const dsl::LoadedPolicy& policy, std::string name, std::string text) {
  TestRun run;
  auto file = std::make_shared<const dsl::SourceFile>(std::move(name), std::move(text));
  dsl::run_policy_tests(policy, *file, run.diagnostics, run.report);
  run.diagnostics.sort();
  run.file = std::move(file);
  return run;
}

}  // namespace kyc::service
