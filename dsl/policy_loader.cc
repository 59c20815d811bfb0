#include "dsl/policy_loader.h"

#include <fstream>
#include <sstream>

#include "common/sha256.h"
#include "dsl/checker.h"
#include "dsl/compiler.h"

namespace kyc::dsl {

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return !in.bad();
}

LoadedPolicy load_policy(std::string name, std::string text, const ParseOptions& options) {
  LoadedPolicy out;
  out.source = std::make_shared<SourceFile>(std::move(name), std::move(text));
  out.ast = parse_policy(*out.source, out.diagnostics, options);
  // After a syntax error the parser has skipped a whole item, and checking names against
  // what is left would only add false alarms: every syntax error is listed, then type and
  // name errors on the next run.
  if (!out.diagnostics.has_errors()) check_policy(out.ast, *out.source, out.diagnostics);
  out.diagnostics.sort();
  if (out.diagnostics.has_errors()) return out;
  auto compiled = compile_policy(out.ast);
  compiled->source_path = out.source->name();
  compiled->sha256 = common::sha256_hex(out.source->text());
  out.compiled = std::move(compiled);
  return out;
}

LoadedPolicy load_policy_file(const std::string& path, const ParseOptions& options) {
  std::string text;
  if (!read_file(path, text)) {
    LoadedPolicy out;
    out.source = std::make_shared<SourceFile>(path, "");
    out.diagnostics.error({1, 1}, "cannot read the file");
    return out;
  }
  return load_policy(path, std::move(text), options);
}

}  // namespace kyc::dsl
