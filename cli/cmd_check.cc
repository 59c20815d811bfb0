// kyc check FILE...: load each policy and list every problem; exit 1 on any error.
#include <iostream>

#include "cli/commands.h"
#include "dsl/policy_loader.h"

namespace kyc::cli {

void add_check(CLI::App& app) {
  auto* cmd = app.add_subcommand("check", "Check policies for syntax, name and type errors");
  static std::vector<std::string> files;
  cmd->add_option("files", files, "Policy files")->required()->check(CLI::ExistingFile);
  cmd->callback([] {
    for (const auto& f : files) {
      auto loaded = dsl::load_policy_file(f);
      std::cerr << loaded.report();
      if (!loaded.ok()) {
        std::cerr << f << ": " << loaded.diagnostics.error_count() << " error(s)\n";
        exit_code = 1;
        continue;
      }
      std::cout << f << ": ok (" << loaded.compiled->reasons.size() << " reasons, "
                << loaded.compiled->schema.size() << " facts)\n";
    }
  });
}

}  // namespace kyc::cli
