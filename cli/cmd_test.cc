// kyc test [DIR|FILE...]: run policy tests (X.test beside X.policy), print failures with
// file:line, a summary and reason coverage; exit 1 on a failure or a reason no case fires.
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "dsl/policy_tests.h"

namespace kyc::cli {

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> test_files(const std::vector<std::string>& args) {
  std::vector<fs::path> out;
  for (const auto& a : args) {
    fs::path p(a);
    if (fs::is_directory(p)) {
      std::vector<fs::path> found;
      for (const auto& e : fs::directory_iterator(p))
        if (e.path().extension() == ".test") found.push_back(e.path());
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else if (p.extension() == ".policy") {
      out.push_back(fs::path(p).replace_extension(".test"));
    } else {
      out.push_back(p);
    }
  }
  return out;
}

}  // namespace

void add_test(CLI::App& app) {
  auto* cmd = app.add_subcommand("test", "Run policy tests (X.test beside X.policy)");
  static std::vector<std::string> args{"policies"};
  cmd->add_option("paths", args, "Directories, .test or .policy files (default: policies)");
  cmd->callback([] {
    size_t passed = 0, failed = 0;
    bool broken = false, uncovered = false;
    auto files = test_files(args);
    if (files.empty()) {
      std::cerr << "no .test files found\n";
      exit_code = 1;
      return;
    }
    for (const auto& test_path : files) {
      auto policy_path = fs::path(test_path).replace_extension(".policy");
      auto policy = dsl::load_policy_file(policy_path.string());
      if (!policy.ok()) {
        std::cerr << policy.report();
        broken = true;
        continue;
      }
      std::string text;
      if (!dsl::read_file(test_path.string(), text)) {
        std::cerr << test_path.string() << ": cannot read the file\n";
        broken = true;
        continue;
      }
      dsl::SourceFile tests(test_path.string(), text);
      dsl::Diagnostics diags;
      dsl::PolicyTestReport report;
      dsl::run_policy_tests(policy, tests, diags, report);
      diags.sort();
      std::cerr << dsl::format_all(tests, diags);
      if (diags.has_errors()) broken = true;
      for (const auto& f : report.failures) std::cout << f << "\n";
      passed += report.passed;
      failed += report.failed;
      std::vector<std::string> never, never_undetermined;
      for (const auto& r : policy.compiled->reasons) {
        if (!report.fired.count(r.code)) never.push_back(r.code);
        if (!report.undetermined.count(r.code)) never_undetermined.push_back(r.code);
      }
      size_t total = policy.compiled->reasons.size();
      std::cout << "coverage " << policy_path.filename().string() << ": " << total - never.size()
                << "/" << total << " reasons fired";
      if (!never.empty()) {
        uncovered = true;
        std::cout << "; never fired:";
        for (const auto& c : never) std::cout << " " << c;
      }
      std::cout << "; " << total - never_undetermined.size() << "/" << total
                << " seen undetermined\n";
    }
    std::cout << passed << " passed, " << failed << " failed\n";
    if (failed || broken || uncovered) exit_code = 1;
  });
}

}  // namespace kyc::cli
