// Policy text -> ast::Policy, and policy-test text -> TestSuite. Syntax errors become
// diagnostics; the parser resumes at the next top-level keyword so that one mistake does not
// hide the next.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dsl/ast.h"
#include "dsl/diagnostics.h"
#include "dsl/source.h"

namespace kyc::dsl {

struct ParseOptions {
  size_t max_source_bytes = 1 << 20;  // a policy is text written by people, not data
  size_t max_nesting = 32;            // brackets, calls and prefix operators inside each other
  // Files read by list(...) and table(...): lists kept by compliance, not bulk data.
  size_t max_policy_files = 64;
  size_t max_file_bytes = 16 << 20;
  size_t max_file_entries = 200000;  // lines of one list, rows of one table
};

Policy parse_policy(const SourceFile& file, Diagnostics& diags, const ParseOptions& options = {});

// ---- policy tests ----------------------------------------------------------------------
struct GivenFact {
  Name fact;
  ExprPtr value;  // null when the test says `missing`
};

struct Fixture {
  Name name;
  uint32_t offset = 0, end = 0;  // of the whole block (the formatter)
  std::optional<Name> extends;
  std::vector<GivenFact> given;
};

struct TestCase {
  std::string name;
  uint32_t offset = 0, end = 0;
  std::optional<Name> extends;
  std::vector<GivenFact> given;
  std::optional<engine::Outcome> expect;
  uint32_t expect_offset = 0, undetermined_offset = 0;
  bool expect_codes = false;  // `expect OUTCOME [..]` names the exact fired reasons
  std::vector<Name> codes;
  bool expect_undetermined = false;
  std::vector<Name> undetermined;
};

struct TestSuite {
  std::vector<Fixture> fixtures;
  std::vector<TestCase> cases;
  // Fixtures and cases in source order (index into the vectors above), and the comments: for
  // the formatter.
  struct Item {
    bool fixture;
    size_t index;
  };
  std::vector<Item> items;
  std::vector<Comment> comments;
};

TestSuite parse_tests(const SourceFile& file, Diagnostics& diags, const ParseOptions& options = {});

// Unescapes the body of a string literal (without its quotes).
std::string unescape(std::string_view body);

}  // namespace kyc::dsl
