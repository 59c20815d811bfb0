// kyc bench --policy FILE --facts FILE.jsonl [--seconds N]: evaluations per second in one
// thread, facts parsed and bound before the clock starts.
#include <chrono>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "dsl/policy_loader.h"
#include "engine/evaluator.h"
#include "engine/json/facts_reader.h"

namespace kyc::cli {

void add_bench(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("bench", "Measure evaluations per second over a JSON-lines file of facts");
  static std::string policy_path, facts_path;
  static double seconds = 3;
  cmd->add_option("--policy", policy_path, "Policy file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--facts", facts_path, "Facts, one JSON object per line")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--seconds", seconds, "How long to run")->check(CLI::PositiveNumber);
  cmd->callback([] {
    auto loaded = dsl::load_policy_file(policy_path);
    std::cerr << loaded.report();
    if (!loaded.ok()) {
      exit_code = 1;
      return;
    }
    const auto& policy = *loaded.compiled;
    std::vector<engine::FactFrame> frames;
    std::ifstream in(facts_path);
    std::string line;
    size_t line_no = 0;
    while (std::getline(in, line)) {
      ++line_no;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      auto& frame = frames.emplace_back(policy.schema);
      auto read = engine::parse_facts(line, frame);
      for (const auto& e : read.errors) {
        std::cerr << facts_path << ":" << line_no << ": " << e.path << ": " << e.message << "\n";
        exit_code = 1;
      }
    }
    if (exit_code || frames.empty()) {
      if (frames.empty()) std::cerr << facts_path << ": no fact sets\n";
      exit_code = 1;
      return;
    }
    engine::Evaluator evaluator(policy);
    // One pass first: the number of reasons fired must match the peers' count.
    size_t fired = 0;
    for (const auto& f : frames) fired += evaluator.evaluate(f).fired();
    using clock = std::chrono::steady_clock;
    auto start = clock::now();
    auto deadline = start + std::chrono::duration<double>(seconds);
    size_t evals = 0;
    volatile int sink = 0;  // keeps the evaluations from being optimised away
    while (clock::now() < deadline) {
      for (const auto& f : frames) sink = sink + static_cast<int>(evaluator.evaluate(f).outcome);
      evals += frames.size();
    }
    double elapsed = std::chrono::duration<double>(clock::now() - start).count();
    std::cout << "fact_sets " << frames.size() << " fired " << fired << "\n";
    std::cout << "evals_per_sec " << static_cast<long long>(static_cast<double>(evals) / elapsed)
              << "\n";
  });
}

}  // namespace kyc::cli
