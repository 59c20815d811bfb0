// Inline tables, lookup() and `key in TABLE` (issue 18, item 2), and matches() with RE2
// (item 3): the pattern is a constant compiled at load, an invalid one is a load error at its
// position, and the whole string must match.
#include <gtest/gtest.h>

#include "tests/test_support.h"

using namespace kyc;
using kyc::test_support::codes;
using kyc::test_support::decide;
using kyc::test_support::load_ok;

namespace {

const char* kHeader = R"(policy "t" {
  version "1"
  locales en
  on missing review
}
facts {
  issuer : string
  number : string?
  accounts : int
}
)";

std::string policy(const std::string& lets, const std::string& when) {
  return kHeader + lets + "reason R {\n  outcome reject\n  when " + when +
         "\n  message en { title \"t\" detail \"d\" action \"a\" }\n}\n";
}

std::string load_errors(const std::string& lets, const std::string& when) {
  auto p = dsl::load_policy("test.policy", policy(lets, when));
  std::string out;
  for (const auto& d : p.diagnostics.items())
    if (d.severity == dsl::Severity::Error)
      out += std::to_string(d.location.line) + ":" + std::to_string(d.location.column) + ": " +
             d.message + "\n";
  return out;
}

std::string fired(const std::string& lets, const std::string& when, const std::string& facts) {
  auto p = load_ok(policy(lets, when));
  if (!p.ok()) return "(does not load)";
  return codes(decide(*p.compiled, facts));
}

}  // namespace

TEST(Tables, LookupGivesTheKeysValueOrTheDefault) {
  const std::string lets = "let LIMIT = {\"D\": 2, \"DEU\": 2, \"FRA\": 3}\n";
  const std::string when = "accounts >= lookup(LIMIT, issuer, 1)";
  EXPECT_EQ(fired(lets, when, R"({"issuer": "D", "accounts": 1})"), "");
  EXPECT_EQ(fired(lets, when, R"({"issuer": "DEU", "accounts": 2})"), "R");
  EXPECT_EQ(fired(lets, when, R"({"issuer": "FRA", "accounts": 2})"), "");
  EXPECT_EQ(fired(lets, when, R"({"issuer": "NLD", "accounts": 1})"), "R");
}

TEST(Tables, AnIntTableWithANumberDefaultIsANumberTable) {
  const std::string lets = "let SHARE = {\"A\": 1, \"B\": 0.5}\n";
  EXPECT_EQ(fired(lets, "lookup(SHARE, issuer, 0) > 0.7", R"({"issuer": "A", "accounts": 0})"),
            "R");
  EXPECT_EQ(fired(lets, "lookup(SHARE, issuer, 0) > 0.4", R"({"issuer": "B", "accounts": 0})"),
            "R");
  EXPECT_EQ(fired(lets, "lookup(SHARE, issuer, 0.75) > 0.7", R"({"issuer": "C", "accounts": 0})"),
            "R");
}

TEST(Tables, KeyInTableLooksAmongTheKeys) {
  const std::string lets = "let LIMIT = {\"D\": 2, \"DEU\": 2}\n";
  EXPECT_EQ(fired(lets, "issuer in LIMIT", R"({"issuer": "D", "accounts": 0})"), "R");
  EXPECT_EQ(fired(lets, "issuer not in LIMIT", R"({"issuer": "FRA", "accounts": 0})"), "R");
  EXPECT_EQ(fired(lets, "issuer in LIMIT", R"({"issuer": "2", "accounts": 0})"), "");
}

TEST(Tables, AMissingKeyLeavesTheAtomUndetermined) {
  auto p = load_ok(policy("let LIMIT = {\"D\": 2}\n", "accounts >= lookup(LIMIT, issuer, 1)"));
  ASSERT_TRUE(p.ok());
  auto d = decide(*p.compiled, R"({"accounts": 3})");
  EXPECT_EQ(test_support::undetermined_codes(d), "R");
}

TEST(Tables, MistakesAreLoadErrorsAtTheirPlace) {
  EXPECT_EQ(load_errors("let L = {\"D\": 2, \"D\": 3}\n", "issuer in L"),
            "11:18: the key \"D\" is in the table twice\n");
  EXPECT_EQ(load_errors("let L = {\"D\": 2, \"E\": \"x\"}\n", "issuer in L"),
            "11:23: table values must have one type: int and string\n");
  EXPECT_EQ(load_errors("let L = {\"D\": 2}\n", "lookup(L, issuer, \"none\") == \"x\""),
            "14:8: the default of lookup must have the table's value type, int, not string\n");
  EXPECT_EQ(load_errors("let L = {\"D\": 2}\n", "L == L"),
            "14:10: a table is read with lookup(TABLE, key, default) or `key in TABLE`, not "
            "compared\n");
  EXPECT_EQ(load_errors("", "lookup([\"D\"], issuer, 1) > 0"),
            "13:8: argument 1 of lookup must be a table (table(\"file.csv\", int) or {\"key\": "
            "value}), not [string]\n");
  EXPECT_EQ(load_errors("let L = {\"D\" 2}\n", "issuer in L"),
            "11:14: expected ':' and a value after the table's key\n");
}

TEST(Tables, PrintAsWrittenInEvidence) {
  auto p = load_ok(policy("let LIMIT = {\"D\": 2}\n", "accounts >= lookup({\"D\": 2}, issuer, 1)"));
  ASSERT_TRUE(p.ok());
  auto d = decide(*p.compiled, R"({"issuer": "D", "accounts": 2})");
  ASSERT_EQ(d.reasons.size(), 1u);
  ASSERT_FALSE(d.reasons[0].evidence.empty());
  EXPECT_EQ(d.reasons[0].evidence[0].atom, "accounts >= lookup({\"D\": 2}, issuer, 1)");
}

TEST(Patterns, TheWholeStringMustMatch) {
  const std::string when = "matches(number, \"[A-Z][0-9]{8}\")";
  EXPECT_EQ(fired("", when, R"({"issuer": "D", "number": "C01234567", "accounts": 0})"), "R");
  EXPECT_EQ(fired("", when, R"({"issuer": "D", "number": "XC01234567", "accounts": 0})"), "");
  EXPECT_EQ(fired("", when, R"({"issuer": "D", "number": "c01234567", "accounts": 0})"), "");
  // An absent optional fact makes the atom false, as for any other atom.
  EXPECT_EQ(fired("", when, R"({"issuer": "D", "accounts": 0})"), "");
  // A constant defined as a string is a constant pattern too.
  EXPECT_EQ(fired("let NUMBER = \"[A-Z]+\"\n", "matches(issuer, NUMBER)",
                  R"({"issuer": "DEU", "accounts": 0})"),
            "R");
}

TEST(Patterns, AnInvalidOrComputedPatternIsALoadErrorAtItsPosition) {
  EXPECT_EQ(load_errors("", "matches(issuer, \"[A-Z\")"),
            "13:24: invalid pattern: missing ]: [A-Z at '[A-Z'\n");
  EXPECT_EQ(load_errors("", "matches(issuer, issuer)"),
            "13:24: the pattern of matches must be a string written in the policy (or a "
            "constant defined as one), so that it is checked when the policy loads\n");
  EXPECT_EQ(load_errors("let P = \"(a\"\n", "matches(issuer, P)"), "11:9: invalid pattern: "
                                                                   "missing ): (a at '(a'\n");
}

TEST(Patterns, RunInLinearTimeOnAHostilePattern) {
  // (a+)+b backtracks exponentially in a backtracking engine; RE2 does not backtrack.
  std::string number(5000, 'a');
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(fired("", "matches(number, \"(a+)+b\")",
                  R"({"issuer": "D", "number": ")" + number + R"(", "accounts": 0})"),
            "");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}
