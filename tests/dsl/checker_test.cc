#include <gtest/gtest.h>

#include "dsl/policy_loader.h"

using namespace kyc;

namespace {

std::vector<std::string> messages(const dsl::LoadedPolicy& p,
                                  dsl::Severity s = dsl::Severity::Error) {
  std::vector<std::string> out;
  for (const auto& d : p.diagnostics.items())
    if (d.severity == s)
      out.push_back(std::to_string(d.location.line) + ":" + std::to_string(d.location.column) +
                    ": " + d.message);
  return out;
}

}  // namespace

TEST(Checker, ReportsEveryProblemOfAFileNotOnlyTheFirst) {
  auto p = dsl::load_policy("many.policy", R"(policy "t" {
  version "1"
  locales en
}
facts {
  x : int
  s : string
}
reason A {
  outcome resubmit
  when x > "3"
  message en { title "t" detail "{nope}" action "a" }
}
reason A {
  outcome review
  when s + 1
  message en { title "t" detail "d" action "a" }
}
)");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(messages(p), (std::vector<std::string>{
                             "11:10: cannot compare int with string",
                             "12:35: '{nope}' does not name a declared fact or constant",
                             "14:8: reason code 'A' is used twice",
                             "16:10: '+' cannot combine string and int",
                         }));
}

TEST(Checker, WarnsAboutDeclaredButUnusedFacts) {
  auto p = dsl::load_policy("unused.policy", R"(policy "t" {
  version "1"
  locales en
}
facts {
  x : int
  spare : string
}
reason A {
  outcome resubmit
  when x > 3
  message en { title "t" detail "d" action "a" }
}
)");
  ASSERT_TRUE(p.ok()) << p.report();
  EXPECT_EQ(messages(p, dsl::Severity::Warning),
            std::vector<std::string>{"7:3: fact 'spare' is declared but no reason reads it"});
}

TEST(Checker, WarnsWhenAReasonHidesAGraverOne) {
  // Both firing, the decision is the hider's: a careless `hides` turns a reject into a
  // resubmit. An equal or milder hidden reason is what hides is for.
  auto p = dsl::load_policy("hides.policy", R"(policy "t" {
  version "1"
  locales en
}
facts {
  x : int
}
reason FORMAT {
  outcome resubmit
  when x > 3
  hides STOLEN, BLURRY
  message en { title "t" detail "d" action "a" }
}
reason STOLEN {
  outcome reject
  when x > 5
  message en { title "t" detail "d" action "a" }
}
reason BLURRY {
  outcome resubmit
  when x > 7
  message en { title "t" detail "d" action "a" }
}
)");
  ASSERT_TRUE(p.ok()) << p.report();
  EXPECT_EQ(messages(p, dsl::Severity::Warning),
            std::vector<std::string>{"11:9: reason FORMAT (resubmit) hides STOLEN (reject): when "
                                     "both fire the decision is resubmit, not reject"});
}

TEST(Checker, DiagnosticsPrintFileLineColumnSourceLineAndCaret) {
  auto p = dsl::load_policy("caret.policy", R"(policy "t" {
  version "1"
  locales en
}
facts {
  x : int
}
reason A {
  outcome resubmit
  when x > limit
  message en { title "t" detail "d" action "a" }
}
)");
  EXPECT_EQ(p.report(),
            "caret.policy:10:12: error: unknown name 'limit': not a declared fact or constant\n"
            "    when x > limit\n"
            "             ^\n");
}

TEST(Checker, AColumnCountsCharactersAndTheCaretSitsUnderAWideOne) {
  // Counted in bytes, an error after Chinese text said column 27 for 18 and the caret sat 8
  // cells too far right (probe, stop 48).
  auto p = dsl::load_policy("wide.policy", R"(policy "t" {
  version "1"
  locales en
}
facts {
  x : int
}
reason A {
  outcome resubmit
  when x > 1
  message en { title "出生日期" detail "{y} é" action "a" }
}
)");
  EXPECT_EQ(p.report(),
            "wide.policy:11:38: error: '{y}' does not name a declared fact or constant (did you "
            "mean 'x'?)\n"
            "    message en { title \"出生日期\" detail \"{y} é\" action \"a\" }\n"
            "                                           ^\n");  // four wide characters: 2 cells
}

TEST(Checker, AFactDeclaredTwiceIsOneErrorNotAlsoAnUnreadFact) {
  auto p = dsl::load_policy("twice.policy", R"(policy "t" {
  version "1"
  locales en
}
facts {
  x : int
  x : int
}
reason A {
  outcome resubmit
  when x > 1
  message en { title "t" detail "d" action "a" }
}
)");
  EXPECT_EQ(p.report(),
            "twice.policy:7:3: error: fact 'x' is declared twice\n"
            "    x : int\n"
            "    ^\n");
}

TEST(Checker, AMessageQuotingAFactItsConditionDoesNotReadWarns) {
  // The user read '?' where the fact was missing (probe, stop 48).
  auto p = dsl::load_policy("hole.policy", R"(policy "t" {
  version "1"
  locales en
}
facts {
  x : int
  name : string?
}
reason A {
  outcome resubmit
  when x > 1
  message en { title "t" detail "Dear {name}, {x} is over 1" action "a" }
}
)");
  ASSERT_TRUE(p.ok()) << p.report();
  EXPECT_NE(p.report().find("hole.policy:12:40: warning: '{name}': A's condition does not read "
                            "name, so it may be missing when the reason fires, and the user "
                            "would read '?' here"),
            std::string::npos)
      << p.report();
  EXPECT_EQ(p.report().find("'{x}'"), std::string::npos) << p.report();
}
