// Policy text -> checked, compiled policy, or the diagnostics that explain why not.
// A policy with errors never produces a CompiledPolicy.
#pragma once

#include "common/result.h"

#include <memory>
#include <string>

#include "dsl/ast.h"
#include "dsl/diagnostics.h"
#include "dsl/parser.h"
#include "dsl/policy_files.h"
#include "dsl/source.h"
#include "engine/compiled_policy.h"

namespace kyc::dsl {

struct LoadedPolicy {
  std::shared_ptr<SourceFile> source;
  Policy ast;
  Diagnostics diagnostics;  // errors and warnings, sorted by position
  std::shared_ptr<const engine::CompiledPolicy> compiled;  // null when there are errors
  std::vector<PolicyFile> files;  // read by list(...) and table(...), once per path

  bool ok() const { return compiled != nullptr; }
  std::string report() const { return format_all(*source, diagnostics); }
};

// `files` is where list(...) and table(...) read theirs: the policy's folder, or the files
// recorded with it. Without it, a policy that reads a file does not load.
LoadedPolicy load_policy(std::string name, std::string text, const PolicyFileReader& files,
                         const ParseOptions& options = {});
LoadedPolicy load_policy(std::string name, std::string text, const ParseOptions& options = {});
// Reads the file, and its lists and tables from its folder; an unreadable file is reported
// as a diagnostic at 1:1.
LoadedPolicy load_policy_file(const std::string& path, const ParseOptions& options = {});

// Whole-file reading shared by the loaders and the commands: an error saying why when the file
// cannot be read, is not a regular file (`kyc check /dev/zero` once read until memory ran out)
// or is over `max_bytes`.
common::Result<void> read_file(const std::string& path, std::string& out,
                               size_t max_bytes = 64 << 20);

}  // namespace kyc::dsl
