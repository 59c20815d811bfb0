#include "dsl/policy_loader.h"

#include <filesystem>
#include <fstream>

#include "common/utf8.h"
#include "dsl/checker.h"
#include "dsl/compiler.h"
#include "dsl/file_constants.h"

namespace kyc::dsl {

common::Result<void> read_file(const std::string& path, std::string& out, size_t max_bytes) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return common::fail(ec ? "cannot read the file (" + ec.message() + ")"
                           : "not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return common::fail("cannot read the file");
  out.clear();
  char chunk[65536];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    out.append(chunk, static_cast<size_t>(in.gcount()));
    if (out.size() > max_bytes)
      return common::fail("the file is over " + std::to_string(max_bytes) + " bytes");
  }
  if (in.bad()) return common::fail("cannot read the file");
  return {};
}

LoadedPolicy load_policy(std::string name, std::string text, const PolicyFileReader& files,
                         const ParseOptions& options) {
  LoadedPolicy out;
  out.source = std::make_shared<SourceFile>(std::move(name), std::move(text));
  // Its texts go into every decision's JSON and the audit record: a Latin-1 "ü" in a message
  // made answers no strict client parses, and records the audit export could not read.
  if (size_t at = common::first_non_utf8(out.source->text()); at != std::string::npos) {
    out.diagnostics.error(out.source->locate(at),
                          "this byte is not UTF-8 text: save the policy as UTF-8");
    return out;
  }
  out.ast = parse_policy(*out.source, out.diagnostics, options);
  if (!out.diagnostics.has_errors())
    load_file_constants(out.ast, *out.source, files, options, out.diagnostics, out.files);
  // After a syntax error the parser has skipped a whole item, and checking names against
  // what is left would only add false alarms: every syntax error is listed, then type and
  // name errors on the next run.
  if (!out.diagnostics.has_errors()) check_policy(out.ast, *out.source, out.diagnostics);
  out.diagnostics.sort();
  if (out.diagnostics.has_errors()) return out;
  auto compiled = compile_policy(out.ast, *out.source, out.diagnostics);
  if (out.diagnostics.has_errors()) {
    out.diagnostics.sort();
    return out;
  }
  compiled->source_path = out.source->name();
  compiled->sha256 = policy_sha256(out.source->text(), out.files);
  out.compiled = std::move(compiled);
  return out;
}

LoadedPolicy load_policy(std::string name, std::string text, const ParseOptions& options) {
  return load_policy(std::move(name), std::move(text), NoFiles(), options);
}

LoadedPolicy load_policy_file(const std::string& path, const ParseOptions& options) {
  std::string text;
  if (auto read = read_file(path, text, options.max_source_bytes); !read) {
    LoadedPolicy out;
    out.source = std::make_shared<SourceFile>(path, "");
    out.diagnostics.error({1, 1}, read.error().message);
    return out;
  }
  std::string folder = std::filesystem::path(path).parent_path().string();
  return load_policy(path, std::move(text), FolderFiles(folder.empty() ? "." : folder), options);
}

}  // namespace kyc::dsl
