#include "dsl/policy_tests.h"

#include <gtest/gtest.h>

using namespace kyc;

namespace {

const char* kPolicy = R"(policy "t" {
  version "1"
  locales en
}
facts {
  x : int
  today : date
  expiry : date?
}
reason BIG {
  outcome resubmit
  when x > 10
  message en { title "t" detail "d" action "a" }
}
reason EXPIRED {
  outcome reject
  when expiry < today
  message en { title "t" detail "d" action "a" }
}
)";

struct TestRun {
  dsl::LoadedPolicy policy = dsl::load_policy("t.policy", kPolicy);
  dsl::Diagnostics diags;
  dsl::PolicyTestReport report;
  std::string problems;
  explicit TestRun(const std::string& tests) {
    dsl::SourceFile file("t.test", tests);
    dsl::run_policy_tests(policy, file, diags, report);
    problems = dsl::format_all(file, diags);
  }
};

}  // namespace

TEST(PolicyTests, FixturesCasesAndExactCodes) {
  TestRun r(R"(fixture base {
  x = 1
  today = 2024-11-20
}
fixture big extends base {
  x = 11
}
case "clean" extends base {
  expect approve []
}
case "big and expired" extends big {
  expiry = 2024-11-19
  expect reject [BIG, EXPIRED]
}
case "boundary" extends base {
  x = 10
  expiry = 2024-11-20
  expect approve []
}
case "missing x" extends base {
  x = missing
  expect review []
  undetermined [BIG]
}
)");
  EXPECT_EQ(r.problems, "");
  EXPECT_EQ(r.report.passed, 4u);
  EXPECT_EQ(r.report.failed, 0u);
  EXPECT_EQ(r.report.fired, (std::set<std::string>{"BIG", "EXPIRED"}));
}

TEST(PolicyTests, FailuresNameTheCaseFileAndLine) {
  TestRun r(R"(fixture base {
  x = 1
  today = 2024-11-20
}

case "wrong outcome" extends base {
  x = 12
  expect approve []
}
)");
  EXPECT_EQ(r.report.failed, 1u);
  ASSERT_EQ(r.report.failures.size(), 1u);
  EXPECT_EQ(r.report.failures[0].text(),
            "t.test:6:1: case \"wrong outcome\": expected outcome approve, got resubmit; expected "
            "reasons [], "
            "fired [BIG] (undetermined: [])");
  // The same in parts, for an editor that marks the case's line.
  EXPECT_EQ(r.report.failures[0].file, "t.test");
  EXPECT_EQ(r.report.failures[0].at.line, 6u);
  EXPECT_EQ(r.report.failures[0].at.column, 1u);
  EXPECT_EQ(r.report.failures[0].case_name, "wrong outcome");
  EXPECT_EQ(r.report.failures[0].message,
            "expected outcome approve, got resubmit; expected reasons [], fired [BIG] "
            "(undetermined: [])");
}

TEST(PolicyTests, MistakesInTheTestFileAreDiagnostics) {
  TestRun r(R"(case "typo" extends nobase {
  y = 1
  x = "text"
  expect approve [NOPE]
}
)");
  EXPECT_NE(r.problems.find("t.test:1:21: error: unknown fixture 'nobase'"), std::string::npos)
      << r.problems;
  EXPECT_NE(r.problems.find("t.test:2:3: error: the policy declares no fact 'y'"),
            std::string::npos)
      << r.problems;
  EXPECT_NE(r.problems.find("t.test:3:7: error: fact 'x' is int, the value is string"),
            std::string::npos)
      << r.problems;
  EXPECT_NE(r.problems.find("t.test:4:19: error: the policy has no reason 'NOPE'"),
            std::string::npos)
      << r.problems;
  EXPECT_EQ(r.report.failed, 1u);
}

TEST(PolicyTests, UnknownNamesInTheTestFileGetADidYouMean) {
  TestRun r(R"(fixture base {
  x = 1
  today = 2026-01-01
}
case "typos" extends bsae {
  expiyr = 2020-01-01
  expect reject [EXPIRD]
}
)");
  EXPECT_NE(r.problems.find("t.test:5:22: error: unknown fixture 'bsae' (did you mean 'base'?)"),
            std::string::npos)
      << r.problems;
  EXPECT_NE(r.problems.find("t.test:6:3: error: the policy declares no fact 'expiyr' (did you "
                            "mean 'expiry'?)"),
            std::string::npos)
      << r.problems;
  EXPECT_NE(r.problems.find("t.test:7:18: error: the policy has no reason 'EXPIRD' (did you "
                            "mean 'EXPIRED'?)"),
            std::string::npos)
      << r.problems;
}

TEST(PolicyTests, AFixturesGivensAreCheckedOnceHoweverManyCasesExtendIt) {
  // A fixture with an unknown fact under 200 cases: once 200 identical errors (and 2,000 x
  // 2,000 of them took 17 s and 3 GB); its 2,000 good givens were checked and folded again for
  // every case (2,500 x 2,500 took 9.6 s on the service's only request thread).
  std::string tests = "fixture many {\n  today = 2024-11-20\n  nope = 1\n";
  for (int i = 0; i < 2000; ++i) tests += "  x = " + std::to_string(i % 10) + "\n";
  tests += "}\n";
  for (int i = 0; i < 200; ++i)
    tests += "case \"c" + std::to_string(i) + "\" extends many {\n  expect approve []\n}\n";
  TestRun r(tests);
  EXPECT_EQ(r.diags.error_count(), 1u) << r.problems.substr(0, 500);
  EXPECT_NE(r.problems.find("the policy declares no fact 'nope'"), std::string::npos);
}

TEST(PolicyTests, AChainOfFixturesTooDeepIsNotCalledACycle) {
  // 40 fixtures, each extending the one before: "fixture 'f31' extends itself" (probe, stop 48).
  std::string tests = "fixture f0 {\n  x = 1\n  today = 2024-11-20\n}\n";
  for (int i = 1; i < 40; ++i)
    tests += "fixture f" + std::to_string(i) + " extends f" + std::to_string(i - 1) + " {\n}\n";
  tests += "case \"deep\" extends f39 {\n  expect approve []\n}\n";
  TestRun deep(tests);
  EXPECT_NE(deep.problems.find("fixtures extend each other more than 32 deep here"),
            std::string::npos)
      << deep.problems;
  EXPECT_EQ(deep.problems.find("extends itself"), std::string::npos) << deep.problems;
  TestRun cycle(
      "fixture a extends b {\n}\nfixture b extends a {\n}\n"
      "case \"c\" extends a {\n  expect approve []\n}\n");
  EXPECT_NE(cycle.problems.find("extends itself (directly or through others)"), std::string::npos)
      << cycle.problems;
}

TEST(PolicyTests, TwoCasesOfOneNameAreAnError) {
  TestRun r(
      "case \"a\" {\n  x = 1\n  today = 2024-11-20\n  expect approve []\n}\n"
      "case \"a\" {\n  x = 11\n  today = 2024-11-20\n  expect resubmit [BIG]\n}\n");
  EXPECT_NE(r.problems.find("t.test:6:1: error: case \"a\" is named twice (first on line 1)"),
            std::string::npos)
      << r.problems;
}
