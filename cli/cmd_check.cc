// kyc check FILE... [--format json]: load each policy and list every problem; exit 1 on any
// error. JSON is for editors and CI: one entry per file with its diagnostics.
#include <boost/json.hpp>
#include <iostream>

#include "cli/commands.h"
#include "dsl/diagnostics_json.h"
#include "dsl/policy_loader.h"
#include "service/declared_facts.h"

namespace kyc::cli {

void add_check(CLI::App& app) {
  auto* cmd = app.add_subcommand("check", "Check policies for syntax, name and type errors");
  static std::vector<std::string> files;
  static std::string format = "text";
  cmd->add_option("files", files, "Policy files")->required()->check(CLI::ExistingFile);
  cmd->add_option("--format", format, "text, or json for editors and CI")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->callback([] {
    boost::json::array results;
    for (const auto& f : files) {
      auto loaded = dsl::load_policy_file(f);
      service::hold_to_catalogue(loaded);
      if (!loaded.ok()) exit_code = 1;
      if (format == "json") {
        boost::json::object r{{"file", f},
                              {"ok", loaded.ok()},
                              {"errors", loaded.diagnostics.error_count()},
                              {"diagnostics",
                               dsl::diagnostics_json(*loaded.source, loaded.diagnostics)}};
        if (loaded.ok()) {
          r["sha256"] = loaded.compiled->sha256;
          r["reasons"] = loaded.compiled->reasons.size();
          r["facts"] = loaded.compiled->schema.size();
        }
        results.push_back(std::move(r));
        continue;
      }
      std::cerr << loaded.report();
      if (!loaded.ok()) {
        std::cerr << f << ": " << loaded.diagnostics.error_count() << " error(s)\n";
        continue;
      }
      std::cout << f << ": ok (" << loaded.compiled->reasons.size() << " reasons, "
                << loaded.compiled->schema.size() << " facts)\n";
    }
    if (format == "json")
      std::cout << boost::json::serialize(boost::json::object{{"ok", exit_code == 0},
                                                              {"files", std::move(results)}})
                << "\n";
  });
}

}  // namespace kyc::cli
