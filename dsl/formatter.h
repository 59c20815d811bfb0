// `kyc fmt`: the canonical layout of a policy or a test file. Comments are kept (a comment on its own line
// stays before the item that follows it, a comment after code stays on that item's line);
// formatting a formatted policy changes nothing.
#pragma once

#include <string>

#include "dsl/ast.h"
#include "dsl/parser.h"
#include "dsl/source.h"

namespace kyc::dsl {

struct FormatOptions {
  size_t line_width = 100;  // a longer `when` is broken before its top-level and/or
};

std::string format_policy(const Policy& policy, const SourceFile& file,
                          const FormatOptions& options = {});
// The same for a test file (`X.test`): fixtures and cases, each item on its own line.
std::string format_tests(const TestSuite& suite, const SourceFile& file);

}  // namespace kyc::dsl
