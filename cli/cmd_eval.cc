// kyc eval --policy FILE --facts FILE|- [--today D] [--locale L] [--strict]: one decision as JSON.
#include <iostream>
#include <iterator>

#include <boost/json/serialize.hpp>

#include "cli/commands.h"
#include "common/civil_date.h"
#include "dsl/policy_loader.h"
#include "engine/json/decision.h"
#include "engine/json/facts_reader.h"
#include "service/clock.h"

namespace kyc::cli {

void add_eval(CLI::App& app) {
  auto* cmd = app.add_subcommand("eval", "Evaluate one set of facts and print the decision JSON");
  static std::string policy_path, facts_path, today, locale = "en";
  static bool strict = false;
  cmd->add_option("--policy", policy_path, "Policy file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--facts", facts_path, "Facts JSON file, or - for standard input")->required();
  cmd->add_option("--today", today,
                  "Evaluation date YYYY-MM-DD (default: the facts' today, else the clock)");
  cmd->add_option("--locale", locale, "Locale of the messages");
  cmd->add_flag("--strict", strict, "Facts the policy does not declare are errors");
  cmd->callback([] {
    auto loaded = dsl::load_policy_file(policy_path);
    std::cerr << loaded.report();
    if (!loaded.ok()) {
      exit_code = 1;
      return;
    }
    std::string text;
    if (facts_path == "-") {
      text.assign(std::istreambuf_iterator<char>(std::cin), {});
    } else if (auto read = dsl::read_file(facts_path, text); !read) {
      std::cerr << facts_path << ": " << read.error().message << "\n";
      exit_code = 1;
      return;
    }
    const auto& policy = *loaded.compiled;
    engine::FactFrame frame(policy.schema);
    engine::FactsOptions options;
    options.strict = strict;
    auto read = engine::parse_facts(text, frame, options);
    for (const auto& e : read.errors)
      std::cerr << facts_path << ": " << (e.path.empty() ? "" : e.path + ": ") << e.message << "\n";
    if (!read.ok()) {
      exit_code = 1;
      return;
    }
    if (auto slot = policy.schema.find("today")) {
      if (!today.empty()) {
        auto days = common::parse_date(today);
        if (!days) {
          std::cerr << "--today: expected YYYY-MM-DD, got " << today << "\n";
          exit_code = 1;
          return;
        }
        frame.set(*slot, engine::Value::date(*days));
      } else if (!frame.has(*slot)) {
        frame.set(*slot, engine::Value::date(common::today_utc()));
      }
    }
    engine::Evaluator evaluator(policy);
    const auto& verdict = evaluator.evaluate(frame);
    auto decision = engine::explain(evaluator, frame, verdict, locale);
    decision.ignored_facts = read.ignored;
    // A policy without `today` still decides at a time: the clock's, as the service records.
    if (decision.evaluated_at.empty()) decision.evaluated_at = service::now_rfc3339();
    std::cout << engine::decision_json(decision) << "\n";
  });
}

}  // namespace kyc::cli
