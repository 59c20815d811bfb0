#include <gtest/gtest.h>

#include "tests/test_support.h"

using namespace kyc;
using kyc::test_support::codes;
using kyc::test_support::decide;
using kyc::test_support::load_ok;
using kyc::test_support::undetermined_codes;

namespace {

const char* kHeader = R"(policy "t" {
  version "1"
  locales en
  on missing review
}
)";

std::string with_rule(const std::string& facts, const std::string& rules) {
  return std::string(kHeader) + "facts {\n" + facts + "}\n" + rules;
}

std::string reason(const std::string& code, const std::string& outcome, const std::string& when,
                   const std::string& extra = "") {
  return "reason " + code + " {\n  outcome " + outcome + "\n  when " + when + "\n" + extra +
         "  message en { title \"t\" detail \"d\" action \"a\" }\n}\n";
}

// Kleene value of `expr` over bool facts a and b given as JSON literals (null = missing):
// "T" fired, "F" not fired, "U" undetermined.
std::string kleene(const std::string& expr, const std::string& a, const std::string& b) {
  auto loaded = load_ok(with_rule("  a : bool\n  b : bool\n", reason("R", "reject", expr)));
  auto d = decide(*loaded.compiled, "{\"a\": " + a + ", \"b\": " + b + "}");
  if (!d.reasons.empty()) return "T";
  if (!d.undetermined.empty()) return "U";
  return "F";
}

}  // namespace

TEST(Kleene, AndTruthTable) {
  // rows a, columns b: true false null
  const char* v[] = {"true", "false", "null"};
  const char* expect[3][3] = {{"T", "F", "U"}, {"F", "F", "F"}, {"U", "F", "U"}};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      EXPECT_EQ(kleene("a and b", v[i], v[j]), expect[i][j]) << v[i] << " and " << v[j];
}

TEST(Kleene, OrTruthTable) {
  const char* v[] = {"true", "false", "null"};
  const char* expect[3][3] = {{"T", "T", "T"}, {"T", "F", "U"}, {"T", "U", "U"}};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      EXPECT_EQ(kleene("a or b", v[i], v[j]), expect[i][j]) << v[i] << " or " << v[j];
}

TEST(Kleene, NotTruthTable) {
  EXPECT_EQ(kleene("not a", "true", "true"), "F");
  EXPECT_EQ(kleene("not a", "false", "true"), "T");
  EXPECT_EQ(kleene("not a", "null", "true"), "U");
}

TEST(Kleene, ShortCircuitAndEagerPathsAgree) {
  // `len(...)` is not a cheap operand, so this `or` takes the short-circuit path.
  auto loaded =
      load_ok(with_rule("  a : bool\n  s : string\n", reason("R", "reject", "len(s) > 3 or a")));
  EXPECT_EQ(codes(decide(*loaded.compiled, R"({"s": "ab", "a": true})")), "R");
  EXPECT_EQ(undetermined_codes(decide(*loaded.compiled, R"({"a": false})")), "R");
  EXPECT_EQ(codes(decide(*loaded.compiled, R"({"a": true})")), "R");
}

TEST(Kleene, ComparisonWithMissingOperandIsUnknown) {
  auto loaded = load_ok(
      with_rule("  x : number\n  d : date\n  today : date\n",
                reason("LOW", "resubmit", "x < 10") + reason("OLD", "resubmit", "d < today")));
  auto d = decide(*loaded.compiled, R"({"today": "2024-11-20"})");
  EXPECT_EQ(undetermined_codes(d), "LOW,OLD");
  EXPECT_EQ(d.outcome, engine::Outcome::Review);
  ASSERT_EQ(d.undetermined.size(), 2u);
  EXPECT_EQ(d.undetermined[0].missing, std::vector<std::string>{"x"});
  EXPECT_EQ(d.undetermined[1].missing, std::vector<std::string>{"d"});
}

TEST(Kleene, AbsentOptionalFactMakesAtomFalse) {
  auto loaded =
      load_ok(with_rule("  d : date?\n  today : date\n", reason("OLD", "resubmit", "d < today")));
  auto d = decide(*loaded.compiled, R"({"today": "2024-11-20"})");
  EXPECT_TRUE(d.reasons.empty());
  EXPECT_TRUE(d.undetermined.empty());
  EXPECT_EQ(d.outcome, engine::Outcome::Approve);
}

TEST(Kleene, AbsentOptionalBoolReadsFalseOnEagerAndShortCircuitPaths) {
  auto loaded = load_ok(with_rule("  x : bool?\n  y : bool\n  s : string\n",
                                  reason("EAGER_AND", "resubmit", "x and y") +
                                      reason("LAZY_AND", "resubmit", "x and len(s) > 0") +
                                      reason("EAGER_OR", "resubmit", "x or y") +
                                      reason("NOT_X", "resubmit", "not x")));
  EXPECT_EQ(codes(decide(*loaded.compiled, R"({"y": true, "s": "a"})")), "EAGER_OR,NOT_X");
  EXPECT_EQ(codes(decide(*loaded.compiled, R"({"y": false, "s": "a"})")), "NOT_X");
  EXPECT_EQ(codes(decide(*loaded.compiled, R"({"x": true, "y": true, "s": "a"})")),
            "EAGER_AND,LAZY_AND,EAGER_OR");
}

TEST(Kleene, PresenceIsAlwaysDecided) {
  auto loaded =
      load_ok(with_rule("  n : string?\n", reason("NO_NUMBER", "resubmit", "n is missing")));
  EXPECT_EQ(codes(decide(*loaded.compiled, "{}")), "NO_NUMBER");
  EXPECT_EQ(codes(decide(*loaded.compiled, R"({"n": "X1"})")), "");
}

TEST(Outcome, HighestFiredReasonWins) {
  auto loaded = load_ok(with_rule("  x : int\n", reason("A", "resubmit", "x > 1") +
                                                     reason("B", "review", "x > 2") +
                                                     reason("C", "reject", "x > 3")));
  EXPECT_EQ(decide(*loaded.compiled, R"({"x": 0})").outcome, engine::Outcome::Approve);
  EXPECT_EQ(decide(*loaded.compiled, R"({"x": 2})").outcome, engine::Outcome::Resubmit);
  EXPECT_EQ(decide(*loaded.compiled, R"({"x": 3})").outcome, engine::Outcome::Review);
  EXPECT_EQ(decide(*loaded.compiled, R"({"x": 4})").outcome, engine::Outcome::Reject);
  EXPECT_EQ(codes(decide(*loaded.compiled, R"({"x": 4})")), "A,B,C");
}

TEST(Outcome, MissingDataNeverApproves) {
  auto loaded = load_ok(with_rule("  x : int\n", reason("A", "resubmit", "x > 1")));
  auto d = decide(*loaded.compiled, "{}");
  EXPECT_NE(d.outcome, engine::Outcome::Approve);
  EXPECT_EQ(d.outcome, engine::Outcome::Review);
}

TEST(Outcome, OnMissingRejectRaisesUndeterminedToReject) {
  std::string text = R"(policy "t" {
  version "1"
  locales en
  on missing reject
}
facts {
  x : int
}
)" + reason("A", "resubmit", "x > 1");
  auto loaded = load_ok(text);
  EXPECT_EQ(decide(*loaded.compiled, "{}").outcome, engine::Outcome::Reject);
}

TEST(Hides, FiredReasonHidesOthersAfterEvaluation) {
  auto loaded = load_ok(with_rule(
      "  f : string\n  x : int\n",
      reason("FORMAT", "resubmit", "f not in [\"jpeg\", \"png\"]", "  hides DARK, BLUR\n") +
          reason("DARK", "review", "x < 10") + reason("BLUR", "review", "x < 5")));
  auto d = decide(*loaded.compiled, R"({"f": "gif", "x": 1})");
  EXPECT_EQ(codes(d), "FORMAT");
  EXPECT_EQ(d.outcome, engine::Outcome::Resubmit);  // hidden reasons do not count
  // Undetermined reasons are hidden too: the format already decides.
  auto u = decide(*loaded.compiled, R"({"f": "gif"})");
  EXPECT_EQ(undetermined_codes(u), "");
  EXPECT_EQ(u.outcome, engine::Outcome::Resubmit);
  // Not fired: nothing hidden.
  EXPECT_EQ(codes(decide(*loaded.compiled, R"({"f": "png", "x": 1})")), "DARK,BLUR");
}

TEST(Hides, HiddenReasonDoesNotHideOthers) {
  auto loaded =
      load_ok(with_rule("  x : int\n", reason("A", "resubmit", "x > 0", "  hides B\n") +
                                           reason("B", "resubmit", "x > 0", "  hides C\n") +
                                           reason("C", "review", "x > 0")));
  EXPECT_EQ(codes(decide(*loaded.compiled, R"({"x": 1})")), "A,C");
}

TEST(Evidence, NamesTheTrueAtomsWithTheirFactValues) {
  auto loaded = load_ok(with_rule(
      "  glare : number\n  brightness : number\n",
      reason("LIGHT", "resubmit", "glare > 0.05 or brightness < 40 or brightness > 230")));
  auto d = decide(*loaded.compiled, R"({"glare": 0.2, "brightness": 250})");
  ASSERT_EQ(d.reasons.size(), 1u);
  const auto& ev = d.reasons[0].evidence;
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].atom, "glare > 0.05");
  EXPECT_EQ(ev[0].facts.at("glare").as_double(), 0.2);
  EXPECT_EQ(ev[1].atom, "brightness > 230");
  EXPECT_EQ(ev[1].facts.at("brightness").as_double(), 250.0);
}

TEST(Messages, InterpolateFactsAndConstants) {
  std::string text = with_rule("  expiry : date\n  today : date\n", "let GRACE = 30 days\n") +
                     "reason EXPIRED {\n  outcome resubmit\n  when expiry + GRACE < today\n"
                     "  message en { title \"Expired\" detail \"Expired on {expiry}; grace "
                     "{GRACE}\" action \"Renew \\{now\\}\" }\n}\n";
  auto loaded = load_ok(text);
  auto d = decide(*loaded.compiled, R"({"expiry": "2024-01-01", "today": "2024-03-01"})");
  ASSERT_EQ(d.reasons.size(), 1u);
  EXPECT_EQ(d.reasons[0].detail, "Expired on 2024-01-01; grace 30 days");
  EXPECT_EQ(d.reasons[0].action, "Renew {now}");
}

TEST(Expressions, ArithmeticDatesSizesAndFunctions) {
  auto loaded = load_ok(with_rule(
      "  bytes : int\n  born : date\n  today : date\n  name : string\n  other : string\n  tags : "
      "[string]\n",
      reason("BIG", "resubmit", "bytes > 5 MiB") +
          reason("MINOR", "reject", "days_between(born, today) < 18 * 365") +
          reason("NAME", "review", "name_similarity(name, other) < 0.8") +
          reason("PREFIX", "review",
                 "starts_with(lower(name), \"dr\") and not contains(upper(other), \"X\")") +
          reason("TAG", "review", "\"vip\" in tags") +
          reason("ARITH", "review", "(bytes - 1) / 2 == 2621440 * 1.0")));
  auto d =
      decide(*loaded.compiled, R"({"bytes": 5242881, "born": "2010-01-01", "today": "2024-11-20",
      "name": "Dr Who", "other": "who dr", "tags": ["a", "vip"]})");
  EXPECT_EQ(codes(d), "BIG,MINOR,PREFIX,TAG,ARITH");
  auto e =
      decide(*loaded.compiled, R"({"bytes": 5242880, "born": "2000-01-01", "today": "2024-11-20",
      "name": "Ann Lee", "other": "Bob Stone", "tags": []})");
  EXPECT_EQ(codes(e), "NAME");
}

TEST(Expressions, IntegerOverflowIsUnknownNeverAWrappedNumber) {
  // A careless `n * 2 > 100` once approved a caller's n of 2^62: the product wrapped to a
  // negative number. A result past int64 has no value: the reason is undetermined, so the
  // decision is at least the policy's `on missing`.
  auto loaded =
      load_ok(with_rule("  n : int\n", reason("MUL", "reject", "n * 2 > 100") +
                                           reason("ADD", "reject", "n + 10 > 100") +
                                           reason("SUB", "reject", "0 - n - 10 < -100") +
                                           reason("NEG", "reject", "-(n - 1) - 2 < 0") +
                                           reason("ABS", "reject", "abs(0 - n - 1 - 1) > 5")));
  const auto& p = *loaded.compiled;
  auto huge = decide(p, R"({"n": 4611686018427387904})");  // 2^62
  EXPECT_EQ(codes(huge), "ADD,SUB,NEG,ABS");
  EXPECT_EQ(undetermined_codes(huge), "MUL");
  auto max = decide(p, R"({"n": 9223372036854775807})");
  EXPECT_EQ(codes(max), "NEG");  // -(2^63 - 2) - 2 is -2^63, an int64
  EXPECT_EQ(undetermined_codes(max), "MUL,ADD,SUB,ABS");
  EXPECT_EQ(max.outcome, engine::Outcome::Reject);
  auto small = decide(p, R"({"n": 50})");
  EXPECT_EQ(codes(small), "NEG,ABS");
  EXPECT_EQ(undetermined_codes(small), "");
  // The rule alone: the decision that was approve is the policy's `on missing`.
  auto alone = load_ok(with_rule("  n : int\n", reason("MUL", "reject", "n * 2 > 100")));
  EXPECT_EQ(decide(*alone.compiled, R"({"n": 4611686018427387904})").outcome,
            engine::Outcome::Review);
}

TEST(Expressions, ConstantInListBecomesSetLookup) {
  auto loaded = load_ok(
      with_rule("  t : string\n  n : number\n", "let OK = [\"passport\", \"id_card\"]\n" +
                                                    reason("T", "resubmit", "t not in OK") +
                                                    reason("N", "resubmit", "n in [1, 2.5, 3]")));
  const auto& p = *loaded.compiled;
  ASSERT_EQ(p.sets.size(), 2u);
  EXPECT_EQ(p.nodes[p.reasons[0].when].op, engine::Op::NotInSet);
  EXPECT_EQ(codes(decide(p, R"({"t": "visa", "n": 2.5})")), "T,N");
  EXPECT_EQ(codes(decide(p, R"({"t": "passport", "n": 2})")), "");
}

TEST(Expressions, ConstantsAreFolded) {
  auto loaded = load_ok(with_rule(
      "  x : int\n", "let A = 2\nlet B = A * 3 + 1\n" + reason("R", "review", "x > B - 1")));
  const auto& p = *loaded.compiled;
  const auto& root = p.nodes[p.reasons[0].when];
  ASSERT_EQ(root.op, engine::Op::CompareFactConst);
  EXPECT_EQ(root.constant.i, 6);
}

TEST(Evaluator, WarmEvaluatorDoesNotGrowItsArena) {
  // Smoke test of the no-allocation design: repeated evaluation gives the same verdicts.
  auto loaded = load_ok(
      with_rule("  s : string\n", reason("R", "review", "normalize_name(s) == \"JOHN SMITH\"")));
  engine::FactFrame frame(loaded.compiled->schema);
  frame.set_string(0, "smith, john");
  engine::Evaluator ev(*loaded.compiled);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(ev.evaluate(frame).fired(), 1u);
}
