// Golden tests: each malformed policy must be reported at exactly this line and column with
// exactly this message. The first diagnostic is compared; the count checks nothing is lost.
#include <gtest/gtest.h>

#include <algorithm>

#include "dsl/policy_loader.h"

using namespace kyc;

namespace {

struct Case {
  const char* name;
  std::string text;
  const char* first;  // "LINE:COL: message" of the first error
  size_t errors;      // how many errors the file has in all
};

const std::string kHead = "policy \"t\" {\n  version \"1\"\n  locales en\n}\n";  // lines 1-4
const std::string kFacts =
    "facts {\n  x : int\n  s : string\n  d : date\n  today : date\n}\n";  // 5-10
const std::string kMsg = "  message en { title \"t\" detail \"d\" action \"a\" }\n";

std::string reason(const std::string& body) {
  return "reason R {\n" + body + "}\n";
}  // from line 11
std::string ok_reason(const std::string& when) {
  return reason("  outcome resubmit\n  when " + when + "\n" + kMsg);
}

std::vector<Case> cases() {
  return {
      {"no header", kFacts + ok_reason("x > 1"),
       "1:1: the policy has no header: start it with policy \"name\" { version ... }", 1},
      {"unterminated string", "policy \"t {\n",
       "1:12: unterminated string (a string ends on the line where it starts)", 1},
      {"header without brace", "policy \"t\"\n  version \"1\"\n", "2:3: expected '{'", 1},
      {"unknown header item", "policy \"t\" {\n  versoin \"1\"\n}\n",
       "2:3: expected '}' or a header item: version, locales, on missing", 1},
      {"on missing approve",
       "policy \"t\" {\n  version \"1\"\n  locales en\n  on missing approve\n}\n" + kFacts +
           ok_reason("x > 1"),
       "4:14: 'on missing approve' is not allowed: missing data must never approve", 1},
      {"bad outcome word", "policy \"t\" {\n  version \"1\"\n  on missing maybe\n}\n",
       "3:14: expected an outcome: approve, resubmit, review or reject", 1},
      {"fact without type", kHead + "facts {\n  x int\n}\n",
       "6:5: expected ':' and a type after the fact name", 1},
      {"unknown fact type", kHead + "facts {\n  x : integer\n}\n",
       "6:7: expected a type: bool, int, number, string, date, duration or [type]", 1},
      {"personal before the colon", kHead + "facts {\n  x personal : int\n}\n",
       "6:5: 'personal' goes after the type: name : string personal", 1},
      {"personal before the type", kHead + "facts {\n  x : personal int\n}\n",
       "6:7: 'personal' goes after the type: name : string personal", 1},
      {"personal twice", kHead + "facts {\n  x : int personal personal\n}\n",
       "6:20: 'personal' is written once per fact", 1},
      {"optional mark after personal", kHead + "facts {\n  x : int personal?\n}\n",
       "6:19: '?' belongs to the type and comes before 'personal': name : string? personal", 1},
      {"duplicate fact", kHead + "facts {\n  x : int\n  x : int\n}\n" + ok_reason("x > 1"),
       "7:3: fact 'x' is declared twice", 1},
      {"let reads a fact", kHead + kFacts + "let L = x + 1\n" + ok_reason("x > L"),
       "11:9: a constant cannot read facts ('x')", 1},
      {"let used before definition", kHead + kFacts + "let A = B\nlet B = 1\n" + ok_reason("x > A"),
       "11:9: constant 'B' is used before its definition", 1},
      {"missing when expression", kHead + kFacts + reason("  outcome resubmit\n  when\n" + kMsg),
       "14:3: expected an expression", 1},
      {"unclosed paren", kHead + kFacts + ok_reason("(x > 1"), "14:3: expected ')' to close '('",
       1},
      {"dangling and", kHead + kFacts + ok_reason("x > 1 and"),
       "14:3: expected an expression after 'and'", 1},
      {"is without present", kHead + kFacts + ok_reason("s is there"),
       "13:13: expected 'present' or 'missing' after 'is'", 1},
      {"impossible date", kHead + kFacts + ok_reason("d < 2024-02-30"),
       "13:12: '2024-02-30' is not a calendar date", 1},
      {"unknown fact name", kHead + kFacts + ok_reason("y > 1"),
       "13:8: unknown name 'y': not a declared fact or constant (did you mean 'x'?)", 1},
      {"typo in fact name", kHead + kFacts + ok_reason("todya > d"),
       "13:8: unknown name 'todya': not a declared fact or constant (did you mean 'today'?)", 1},
      {"unknown function", kHead + kFacts + ok_reason("lowr(s) == \"a\""),
       "13:8: unknown function 'lowr' (did you mean 'lower'?)", 1},
      {"wrong argument type", kHead + kFacts + ok_reason("days_between(d, x) > 3"),
       "13:8: argument 2 of days_between must be date, not int (days_between(date, date) -> int)",
       1},
      {"wrong arity", kHead + kFacts + ok_reason("len() > 3"),
       "13:8: len takes 1 argument(s), got 0 (len(string | list) -> int)", 1},
      {"compare string with int", kHead + kFacts + ok_reason("s == 3"),
       "13:10: cannot compare string with int", 1},
      {"condition not bool", kHead + kFacts + ok_reason("x + 1"),
       "13:8: the condition of R must be bool, not int", 1},
      {"and on ints", kHead + kFacts + ok_reason("x and s == \"a\""),
       "13:8: 'and' needs bool operands, not int", 1},
      // The mistakes a person new to the language makes, each with how to write it.
      {"= for ==", kHead + kFacts + ok_reason("s = \"a\""),
       "13:10: '=' is not a comparison: write '==' to compare (document.type == \"passport\")", 1},
      {"quoted date", kHead + kFacts + ok_reason("d < \"2025-01-01\""),
       "13:10: cannot compare date with string: write a date without quotes (2025-01-01)", 1},
      {"day count without days", kHead + kFacts + ok_reason("today - d > 30"),
       "13:18: cannot compare duration with int: write a number of days with its unit (30 days, "
       "2 weeks)",
       1},
      {"date plus a bare number", kHead + kFacts + ok_reason("d + 30 < today"),
       "13:10: '+' cannot combine date and int: give the number its unit (today - 30 days, birth "
       "+ 18 years)",
       1},
      {"in without list", kHead + kFacts + ok_reason("s in \"abc\""),
       "13:10: the right side of 'in' must be a list or a table, not string", 1},
      {"mixed list", kHead + kFacts + ok_reason("s in [\"a\", 1]"),
       "13:19: list items must have one type: string and int", 1},
      {"is present on expression", kHead + kFacts + ok_reason("(x + 1) is present"),
       "13:9: 'is present' applies to a fact name", 1},
      {"no outcome", kHead + kFacts + reason("  when x > 1\n" + kMsg),
       "11:8: reason R has no outcome (resubmit, review or reject)", 1},
      {"approve outcome", kHead + kFacts + reason("  outcome approve\n  when x > 1\n" + kMsg),
       "12:11: a reason cannot have outcome approve: a reason is why a submission fails", 1},
      {"no when", kHead + kFacts + reason("  outcome review\n" + kMsg),
       "11:8: reason R has no 'when' condition", 1},
      {"missing locale message",
       "policy \"t\" {\n  version \"1\"\n  locales en, zh\n}\n" + kFacts + ok_reason("x > 1"),
       "11:8: reason R has no message for locale 'zh'", 1},
      {"undeclared locale",
       kHead + kFacts +
           reason("  outcome review\n  when x > 1\n" + kMsg +
                  "  message fr { title \"t\" detail \"d\" action \"a\" }\n"),
       "15:11: locale 'fr' is not declared in the policy header", 1},
      {"message without action",
       kHead + kFacts +
           reason("  outcome review\n  when x > 1\n  message en { title \"t\" detail \"d\" }\n"),
       "14:11: message en of R has no action", 1},
      {"bad interpolation",
       kHead + kFacts +
           reason("  outcome review\n  when x > 1\n  message en { title \"t\" detail \"over "
                  "{limit}\" action \"a\" }\n"),
       "14:40: '{limit}' does not name a declared fact or constant", 1},
      {"unclosed interpolation",
       kHead + kFacts +
           reason("  outcome review\n  when x > 1\n  message en { title \"t {x\" detail \"d\" "
                  "action \"a\" }\n"),
       "14:25: unclosed '{' in message (write \\{ for a literal brace)", 1},
      {"hides unknown reason",
       kHead + kFacts + reason("  outcome review\n  when x > 1\n  hides RR\n" + kMsg),
       "14:9: hides unknown reason 'RR' (did you mean 'R'?)", 1},
      {"hides cycle",
       kHead + kFacts + "reason A {\n  outcome review\n  when x > 1\n  hides B\n" + kMsg +
           "}\nreason B {\n  outcome review\n  when x > 2\n  hides A\n" + kMsg + "}\n",
       "20:9: 'hides' forms a cycle: A -> B -> A", 1},
      {"duplicate code", kHead + kFacts + ok_reason("x > 1") + ok_reason("x > 2"),
       "16:8: reason code 'R' is used twice", 1},
      {"reason item typo", kHead + kFacts + reason("  outcome review\n  whem x > 1\n"),
       "13:3: expected '}' or a reason item: outcome, when, hides, message, note", 1},
      {"garbage at top level", kHead + kFacts + "rule R {}\n",
       "11:1: expected 'policy', 'facts', 'let', 'reason' or 'notice'", 1},
      {"nesting too deep",
       kHead + kFacts + ok_reason(std::string(40, '(') + "x > 1" + std::string(40, ')')),
       "13:40: expression nested too deeply (the limit is 32 levels)", 1},
      // Pasted from a word processor or a web page (probe, stop 48): the character is named.
      {"no-break space", kHead + kFacts + ok_reason("x\xC2\xA0> 1"),
       "13:9: expected '}' or a reason item: outcome, when, hides, message, note (here is a "
       "no-break space, U+00A0: type a plain space)",
       1},
      {"typographic quotes",
       kHead + kFacts +
           reason(
               "  outcome resubmit\n  when x > 1\n  message en { title \xE2\x80\x9Ct\xE2\x80\x9D "
               "detail \"d\" action \"a\" }\n"),
       "14:22: expected a string after the message field (here is a typographic quote: write "
       "strings between straight quotes \")",
       1},
      {"date without two-digit month", kHead + kFacts + ok_reason("d < 2026-2-3"),
       "13:10: cannot compare date with int: a date has a two-digit month and day (2026-02-03); "
       "written otherwise it is a subtraction",
       1},
      {"duration unit capitalised", kHead + kFacts + ok_reason("d < today + 30 Days"),
       "13:23: expected '}' or a reason item: outcome, when, hides, message, note (a duration is "
       "a whole number, a space and its unit in lower case: 30 days, 2 weeks, 6 months, 18 "
       "years)",
       1},
      {"duration unit abbreviated", kHead + kFacts + ok_reason("d < today + 30d"),
       "13:20: expected an operand after '+' or '-' (a duration is a whole number, a space and "
       "its unit in lower case: 30 days, 2 weeks, 6 months, 18 years)",
       1},
      {"string that is no date", kHead + kFacts + ok_reason("d < \"soon\""),
       "13:10: cannot compare date with string: write a date without quotes (document.expiry < "
       "2025-01-01)",
       1},
      {"two syntax errors, both reported", kHead + kFacts + ok_reason("x >") + ok_reason("(x"),
       "14:3: expected an operand after the comparison", 2},
  };
}

// gtest prints the case's name instead of its bytes.
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

}  // namespace

TEST(Malformed, AByteOrderMarkBeforeTheFirstLineIsNoPartOfTheText) {
  // `1:1: expected 'policy', ...` under an invisible character (probe, stop 48).
  auto p = dsl::load_policy("bom.policy", "\xEF\xBB\xBF" + kHead + kFacts + ok_reason("x > 1"));
  EXPECT_TRUE(p.ok()) << p.report();
}

class Malformed : public ::testing::TestWithParam<Case> {};

TEST_P(Malformed, ReportedAtTheRightPlace) {
  const Case& c = GetParam();
  auto p = dsl::load_policy("bad.policy", c.text);
  ASSERT_FALSE(p.ok()) << c.name;
  const auto& items = p.diagnostics.items();
  const auto& first = *std::find_if(items.begin(), items.end(), [](const dsl::Diagnostic& d) {
    return d.severity == dsl::Severity::Error;
  });
  std::string got = std::to_string(first.location.line) + ":" +
                    std::to_string(first.location.column) + ": " + first.message;
  EXPECT_EQ(got, c.first) << p.report();
  EXPECT_EQ(p.diagnostics.error_count(), c.errors) << p.report();
  // The printed form names the file, the position, the line and a caret.
  std::string report = p.report();
  std::string position = std::string(c.first).substr(0, std::string(c.first).find(": "));
  EXPECT_NE(report.find("bad.policy:" + position + ": error: "), std::string::npos) << report;
  EXPECT_NE(report.find("^\n"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Golden, Malformed, ::testing::ValuesIn(cases()), [](const auto& info) {
  std::string n = info.param.name;
  for (char& ch : n)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return n;
});
