// Evaluations per second of the kycd engine on a policy, beside the same ten rules written by
// hand in C++ over the same fact sets, and the ratio between the two.
//
//   engine_bench [--policy FILE] [--facts FILE.jsonl] [--shipped FILE] [benchmark flags]
//
// Defaults: shared/bench-peers/bench.policy and a facts file written by facts.mjs
// (bench/engine-vs-peers.sh makes one). --shipped also times the shipped policy
// (policies/kyc.policy) on facts that suit it, if given a facts file for it.
#include <benchmark/benchmark.h>

#include <fstream>
#include <iostream>
#include <map>

#include "dsl/policy_loader.h"
#include "engine/evaluator.h"
#include "engine/json/facts_reader.h"
#include "hand_written_rules.h"

namespace {

struct Inputs {
  std::shared_ptr<const kyc::engine::CompiledPolicy> policy;
  std::vector<kyc::engine::FactFrame> frames;
  std::vector<kyc::bench::Submission> submissions;
};

Inputs& inputs() {
  static Inputs in;
  return in;
}

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream f(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(f, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

void BM_Engine(benchmark::State& state) {
  auto& in = inputs();
  kyc::engine::Evaluator ev(*in.policy);
  size_t i = 0, fired = 0;
  for (auto _ : state) {
    fired += ev.evaluate(in.frames[i]).fired();
    if (++i == in.frames.size()) i = 0;
  }
  benchmark::DoNotOptimize(fired);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void BM_HandWritten(benchmark::State& state) {
  auto& in = inputs();
  size_t i = 0;
  int fired = 0;
  for (auto _ : state) {
    fired += kyc::bench::fired_reasons(in.submissions[i]);
    if (++i == in.submissions.size()) i = 0;
  }
  benchmark::DoNotOptimize(fired);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

// Keeps the items/s of every run so the ratio can be printed after the table.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const auto& r : runs) {
      auto it = r.counters.find("items_per_second");
      if (it != r.counters.end() && r.run_type == Run::RT_Aggregate && r.aggregate_name == "median")
        rates[r.run_name.function_name] = it->second;
      if (it != r.counters.end() && r.run_type == Run::RT_Iteration &&
          !rates.count(r.run_name.function_name))
        single[r.run_name.function_name] = it->second;
    }
    ConsoleReporter::ReportRuns(runs);
  }
  double rate(const std::string& name) const {
    auto it = rates.find(name);
    if (it != rates.end()) return it->second;
    auto s = single.find(name);
    return s == single.end() ? 0 : s->second;
  }
  std::map<std::string, double> rates, single;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  std::string policy_path = KYC_SOURCE_DIR "/../shared/bench-peers/bench.policy";
  std::string facts_path = "/tmp/kycd-bench-facts.jsonl";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--policy")
      policy_path = argv[i + 1];
    else if (flag == "--facts")
      facts_path = argv[i + 1];
    else {
      std::cerr << "unknown flag " << flag << "\n";
      return 2;
    }
  }
  auto loaded = kyc::dsl::load_policy_file(policy_path);
  if (!loaded.ok()) {
    std::cerr << loaded.report();
    return 1;
  }
  auto& in = inputs();
  in.policy = loaded.compiled;
  auto lines = read_lines(facts_path);
  if (lines.empty()) {
    std::cerr << facts_path
              << ": no fact sets (write them with: node shared/bench-peers/facts.mjs 2000 > "
              << facts_path << ")\n";
    return 1;
  }
  size_t engine_fired = 0, hand_fired = 0;
  kyc::engine::Evaluator ev(*in.policy);
  for (const auto& line : lines) {
    auto& frame = in.frames.emplace_back(in.policy->schema);
    auto read = kyc::engine::parse_facts(line, frame);
    if (!read.ok()) {
      std::cerr << facts_path << ": " << read.errors[0].path << ": " << read.errors[0].message
                << "\n";
      return 1;
    }
    in.submissions.push_back(kyc::bench::parse_submission(line));
    engine_fired += ev.evaluate(frame).fired();
    hand_fired += static_cast<size_t>(kyc::bench::fired_reasons(in.submissions.back()));
  }
  // Both sides must do the same work: the same reasons fire over one pass.
  std::cout << "fact sets " << lines.size() << ", fired: engine " << engine_fired
            << ", hand-written " << hand_fired << "\n";
  if (engine_fired != hand_fired) return 1;
  benchmark::RegisterBenchmark("engine", BM_Engine);
  benchmark::RegisterBenchmark("hand_written_cpp", BM_HandWritten);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  double engine = reporter.rate("engine"), hand = reporter.rate("hand_written_cpp");
  if (engine > 0 && hand > 0)
    std::printf(
        "engine %.0f evals/s, hand-written C++ %.0f evals/s: the engine runs at 1/%.1f of "
        "hand-written code\n",
        engine, hand, hand / engine);
  return 0;
}
