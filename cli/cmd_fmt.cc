// kyc fmt [--check|-w] FILE...: print, check or rewrite the canonical layout of policies and
// their test files.
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "dsl/formatter.h"
#include "dsl/policy_loader.h"

namespace kyc::cli {

void add_fmt(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("fmt", "Format policies and test files in the canonical layout (comments are kept)");
  static std::vector<std::string> files;
  static bool check = false, write = false;
  cmd->add_option("files", files, "Policy files (.policy) and test files (.test)")->required()->check(CLI::ExistingFile);
  auto* c = cmd->add_flag("--check", check, "Exit 1 if a file is not formatted; change nothing");
  cmd->add_flag("-w,--write", write, "Rewrite the files in place")->excludes(c);
  cmd->callback([] {
    for (const auto& f : files) {
      std::string text;
      if (auto read = dsl::read_file(f, text, dsl::ParseOptions{}.max_source_bytes); !read) {
        std::cerr << f << ": " << read.error().message << "\n";
        exit_code = 1;
        continue;
      }
      dsl::SourceFile source(f, text);
      dsl::Diagnostics diags;
      // A test file by its extension; anything else is a policy.
      bool tests = f.size() > 5 && f.ends_with(".test");
      std::string formatted = tests ? dsl::format_tests(dsl::parse_tests(source, diags), source)
                                    : dsl::format_policy(dsl::parse_policy(source, diags), source);
      if (diags.has_errors()) {
        std::cerr << dsl::format_all(source, diags);
        exit_code = 1;
        continue;
      }
      if (check) {
        if (formatted != text) {
          std::cerr << f << ": not formatted (run kyc fmt -w " << f << ")\n";
          exit_code = 1;
        }
      } else if (write) {
        if (formatted != text) std::ofstream(f, std::ios::binary) << formatted;
      } else {
        std::cout << formatted;
      }
    }
  });
}

}  // namespace kyc::cli
