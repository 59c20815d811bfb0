// kyc test [DIR|FILE...]: run policy tests (X.test beside X.policy), print failures with
// file:line, a summary and reason coverage; exit 1 on a failure, an error in a policy or test
// file, or a reason no case fires. --format json gives the same for editors and CI.
#include <boost/json.hpp>
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "dsl/diagnostics_json.h"
#include "dsl/policy_tests.h"
#include "service/declared_facts.h"

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

// One test file's run: what the text and the JSON output both show.
struct FileRun {
  std::string test, policy;
  std::string errors_text;  // diagnostics as a person reads them
  boost::json::array errors;
  std::vector<std::string> failures;
  size_t passed = 0, failed = 0, reasons = 0;
  bool ran = false;  // false: the policy or the test file has errors, no case ran
  std::vector<std::string> never_fired, never_undetermined;
};

FileRun run_file(const fs::path& test_path) {
  FileRun run;
  run.test = test_path.string();
  auto policy_path = fs::path(test_path).replace_extension(".policy");
  run.policy = policy_path.string();
  auto policy = dsl::load_policy_file(policy_path.string());
  service::hold_to_catalogue(policy);
  if (!policy.ok()) {
    run.errors_text = policy.report();
    run.errors = dsl::diagnostics_json(*policy.source, policy.diagnostics);
    return run;
  }
  std::string text;
  if (auto read = dsl::read_file(test_path.string(), text, dsl::ParseOptions{}.max_source_bytes);
      !read) {
    run.errors_text = run.test + ": " + read.error().message + "\n";
    run.errors.push_back(
        {{"file", run.test}, {"severity", "error"}, {"message", read.error().message}});
    return run;
  }
  dsl::SourceFile tests(test_path.string(), text);
  dsl::Diagnostics diags;
  dsl::PolicyTestReport report;
  dsl::run_policy_tests(policy, tests, diags, report);
  diags.sort();
  run.errors_text = dsl::format_all(tests, diags);
  run.errors = dsl::diagnostics_json(tests, diags);
  // A test file with errors has not tested the policy: no pass count, no coverage.
  if (diags.has_errors()) return run;
  run.ran = true;
  for (const auto& f : report.failures) run.failures.push_back(f.text());
  run.passed = report.passed;
  run.failed = report.failed;
  run.reasons = policy.compiled->reasons.size();
  for (const auto& r : policy.compiled->reasons) {
    if (!report.fired.count(r.code)) run.never_fired.push_back(r.code);
    if (!report.undetermined.count(r.code)) run.never_undetermined.push_back(r.code);
  }
  return run;
}

std::string joined(const std::vector<std::string>& codes) {
  std::string out;
  for (const auto& c : codes) out += (out.empty() ? "" : ", ") + c;
  return out;
}

void print_text(const FileRun& run) {
  std::cerr << run.errors_text;
  if (!run.ran) {
    std::cerr << run.test << ": not run: fix the errors above first\n";
    return;
  }
  for (const auto& f : run.failures) std::cout << f << "\n";
  std::cout << "coverage " << fs::path(run.policy).filename().string() << ": "
            << run.reasons - run.never_fired.size() << "/" << run.reasons << " reasons fired";
  if (!run.never_fired.empty()) std::cout << " (never fired: " << joined(run.never_fired) << ")";
  std::cout << "; " << run.reasons - run.never_undetermined.size() << "/" << run.reasons
            << " seen undetermined";
  if (!run.never_undetermined.empty())
    std::cout << " (never: " << joined(run.never_undetermined) << ")";
  std::cout << "\n";
}

boost::json::object to_json(const FileRun& run) {
  auto codes = [](const std::vector<std::string>& v) {
    boost::json::array a;
    for (const auto& c : v) a.push_back(boost::json::string(c));
    return a;
  };
  boost::json::array failures;
  for (const auto& f : run.failures) failures.push_back(boost::json::string(f));
  return {{"test", run.test},
          {"policy", run.policy},
          {"ran", run.ran},
          {"errors", run.errors},
          {"passed", run.passed},
          {"failed", run.failed},
          {"failures", std::move(failures)},
          {"reasons", run.reasons},
          {"never_fired", codes(run.never_fired)},
          {"never_undetermined", codes(run.never_undetermined)}};
}

}  // namespace

void add_test(CLI::App& app) {
  auto* cmd = app.add_subcommand("test", "Run policy tests (X.test beside X.policy)");
  static std::vector<std::string> args{"policies"};
  static std::string format = "text";
  cmd->add_option("paths", args, "Directories, .test or .policy files (default: policies)");
  cmd->add_option("--format", format, "text, or json for editors and CI")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->callback([] {
    for (const auto& a : args)
      if (std::error_code ec; !fs::exists(a, ec)) {
        std::cerr << "kyc test: " << a << ": no such file or folder\n";
        exit_code = 1;
        return;
      }
    auto files = test_files(args);
    if (files.empty()) {
      std::cerr << "no .test files found\n";
      exit_code = 1;
      return;
    }
    size_t passed = 0, failed = 0, broken = 0;
    bool uncovered = false;
    boost::json::array results;
    for (const auto& test_path : files) {
      FileRun run = run_file(test_path);
      passed += run.passed;
      failed += run.failed;
      broken += !run.ran;
      uncovered |= run.ran && !run.never_fired.empty();
      if (format == "json")
        results.push_back(to_json(run));
      else
        print_text(run);
    }
    if (failed || broken || uncovered) exit_code = 1;
    if (format == "json") {
      std::cout << boost::json::serialize(boost::json::object{{"ok", exit_code == 0},
                                                              {"passed", passed},
                                                              {"failed", failed},
                                                              {"not_run", broken},
                                                              {"files", std::move(results)}})
                << "\n";
      return;
    }
    std::cout << passed << " passed, " << failed << " failed";
    if (broken) std::cout << ", " << broken << " file(s) not run because of errors";
    std::cout << "\n";
  });
}

}  // namespace kyc::cli
