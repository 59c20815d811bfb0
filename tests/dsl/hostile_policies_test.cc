// Policy texts written to break the loader: long flat chains, long lists and strings, many
// reasons, long `hides` chains. Whatever the text, loading ends in a policy or in positioned
// diagnostics, quickly, and never overflows the stack (each case below crashed or ran away
// before the chain length counted against the nesting limit and the `hides` search kept its
// own stack).
#include <gtest/gtest.h>

#include <chrono>

#include "common/utf8.h"
#include "dsl/formatter.h"
#include "dsl/policy_loader.h"
#include "tests/test_support.h"

using namespace kyc;

namespace {

const std::string kHead =
    "policy \"t\" {\n  version \"1\"\n  locales en\n}\n"
    "facts {\n  x : int\n  b : bool\n  s : string\n  o : string?\n}\n";
const std::string kMsg = "  message en { title \"t\" detail \"d\" action \"a\" }\n";

std::string reason(const std::string& code, const std::string& when,
                   const std::string& extra = "") {
  return "reason " + code + " {\n  outcome resubmit\n  when " + when + "\n" + extra + kMsg + "}\n";
}

std::string repeat(const std::string& term, const std::string& op, size_t n) {
  std::string s = term;
  for (size_t i = 1; i < n; ++i) s += op + term;
  return s;
}

// Loads, and if that works formats, loads again and evaluates: every pass over the tree.
dsl::LoadedPolicy load_all_the_way(const std::string& text) {
  auto loaded = dsl::load_policy("hostile.policy", text);
  (void)loaded.report();
  if (loaded.ok()) {
    auto again = dsl::load_policy("hostile.policy", dsl::format_policy(loaded.ast, *loaded.source));
    EXPECT_TRUE(again.ok()) << again.report();
    auto d = test_support::decide(*loaded.compiled, R"({"x": 1, "b": true, "s": "a"})");
    (void)d;
  }
  return loaded;
}

std::string first_error(const dsl::LoadedPolicy& p) {
  for (const auto& d : p.diagnostics.items())
    if (d.severity == dsl::Severity::Error)
      return std::to_string(d.location.line) + ":" + std::to_string(d.location.column) + ": " +
             d.message;
  return "";
}

TEST(HostilePolicies, LongArithmeticChainIsAPositionedError) {
  // About 20,000 terms, 80 KB: the text of the report that killed the service.
  auto p = load_all_the_way(kHead + reason("R", repeat("x", " + ", 20000) + " > 1"));
  EXPECT_FALSE(p.ok());
  EXPECT_EQ(first_error(p),
            "13:8: a chain of 20000 terms nests too deeply (the limit is 32 levels, and each "
            "operator of a chain is one): group it with parentheses or split it into constants");
}

TEST(HostilePolicies, ChainsOfEveryOperatorAreBounded) {
  for (const char* op : {" + ", " - ", " * ", " / "}) {
    auto p = load_all_the_way(kHead + reason("R", repeat("x", op, 20000) + " > 1"));
    EXPECT_FALSE(p.ok()) << op;
  }
  // Inside brackets, calls and lists, where the nesting already counts.
  auto p = load_all_the_way(kHead + reason("R", "len([" + repeat("x", " * ", 5000) + "]) > 1"));
  EXPECT_FALSE(p.ok());
}

TEST(HostilePolicies, ShortChainsStillLoad) {
  auto p = load_all_the_way(kHead + reason("R", repeat("x", " + ", 20) + " > 1"));
  EXPECT_TRUE(p.ok()) << p.report();
  // A balanced grouping of many terms stays within the limit.
  std::string group = "(" + repeat("x", " + ", 8) + ")";
  auto q = load_all_the_way(kHead + reason("R", repeat(group, " + ", 8) + " > 1"));
  EXPECT_TRUE(q.ok()) << q.report();
}

TEST(HostilePolicies, LongAndOrChainsAreFlat) {
  // `and`/`or` are n-ary nodes, not nested ones: 20,000 operands load and evaluate.
  for (const char* op : {" and ", " or "}) {
    auto p = load_all_the_way(kHead + reason("R", repeat("x > 1", op, 20000)));
    EXPECT_TRUE(p.ok()) << op << first_error(p);
  }
  auto p = load_all_the_way(kHead + reason("R", repeat("not b", " and ", 20000)));
  EXPECT_TRUE(p.ok()) << first_error(p);
}

TEST(HostilePolicies, LongListsAndStrings) {
  std::string items = repeat("\"a\"", ", ", 50000);
  auto p = load_all_the_way(kHead + "let L = [" + items + "]\n" + reason("R", "s in L"));
  EXPECT_TRUE(p.ok()) << first_error(p);
  auto q = load_all_the_way(kHead + reason("R", "s == \"" + std::string(500000, 'a') + "\""));
  EXPECT_TRUE(q.ok()) << first_error(q);
  // A message of half a megabyte of interpolation holes: loaded (once the test's point), it
  // would quote 60,000 facts into every decision; now a positioned error.
  std::string holes = repeat("{x}", " ", 60000);
  auto m = load_all_the_way(kHead +
                            "reason R {\n  outcome resubmit\n  when x > 1\n"
                            "  message en { title \"t\" detail \"" +
                            holes + "\" action \"a\" }\n}\n");
  EXPECT_EQ(first_error(m), "14:33: this text is 119999 bytes once its constants are filled in; "
                            "at most 4096");
}

TEST(HostilePolicies, AMessageLongOnceItsConstantsAreFilledInIsAPositionedError) {
  // 13 KB of policy, a 10 KB constant quoted 1,000 times: every answer was 10 MB, and the
  // audit log grew 11 MB a decision.
  auto big = load_all_the_way(kHead + "let S = \"" + std::string(10000, 'a') + "\"\n" +
                              "reason R {\n  outcome resubmit\n  when x > 1\n"
                              "  message en { title \"t\" detail \"" + repeat("{S}", "", 1000) +
                              "\" action \"a\" }\n}\n");
  EXPECT_EQ(first_error(big), "15:33: this text is 10000000 bytes once its constants are filled "
                              "in; at most 4096");
  auto quoting = load_all_the_way(kHead + "reason R {\n  outcome resubmit\n  when x > 1\n"
                                          "  message en { title \"t\" detail \"" +
                                  repeat("{s}", " ", 17) + "\" action \"a\" }\n}\n");
  EXPECT_EQ(first_error(quoting), "14:33: this text quotes 17 facts; at most 16");
}

TEST(HostilePolicies, ManyReasonsAndALongHidesChain) {
  // 5,000 reasons, each hiding the next: the cycle search used to recurse once per link.
  std::string text = kHead;
  const size_t n = 5000;
  for (size_t i = 0; i < n; ++i) {
    std::string hides = i + 1 < n ? "  hides R" + std::to_string(i + 1) + "\n" : "";
    text += reason("R" + std::to_string(i), "x > " + std::to_string(i), hides);
  }
  auto p = load_all_the_way(text);
  EXPECT_TRUE(p.ok()) << first_error(p);
  // The same chain closed into a cycle is reported once, at the edge that closes it.
  std::string cyclic = text + reason("LAST", "x > 1", "  hides R0\n");
  size_t at = cyclic.find("when x > 4999\n");
  cyclic.insert(at + 14, "  hides LAST\n");
  auto c = load_all_the_way(cyclic);
  EXPECT_FALSE(c.ok());
  EXPECT_NE(first_error(c).find("'hides' forms a cycle: R0 -> R1 -> "), std::string::npos)
      << first_error(c).substr(0, 200);
}

TEST(HostilePolicies, ManyUnknownNamesStayFast) {
  // Thousands of unknown names against thousands of reasons: each hint is an edit distance
  // against every candidate, so only the first few get one.
  std::string text = kHead;
  for (size_t i = 0; i < 3000; ++i)
    text += reason("R" + std::to_string(i), "x > 1", "  hides NOPE" + std::to_string(i) + "\n");
  auto started = std::chrono::steady_clock::now();
  auto p = dsl::load_policy("hostile.policy", text);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  EXPECT_FALSE(p.ok());
  EXPECT_EQ(p.diagnostics.error_count(), 3000u);
  EXPECT_LT(seconds, 10.0);
}

}  // namespace

TEST(HostilePolicies, AConstantWithoutAValueIsAPositionedError) {
  // `1 / 0` and an int past int64 once folded into the compiled policy as whatever their
  // bits said: `x > ZERO` fired for every x, and 2^63 - 1 + 1 was -2^63.
  auto zero = load_all_the_way(kHead + "let ZERO = 1 / 0\n" + reason("R", "x > ZERO"));
  EXPECT_FALSE(zero.ok());
  EXPECT_EQ(first_error(zero),
            "11:12: '1 / 0' has no value: it divides by zero or leaves the integer range");
  auto big = load_all_the_way(kHead + reason("R", "x > 9223372036854775807 + 1"));
  EXPECT_FALSE(big.ok());
  EXPECT_EQ(first_error(big),
            "13:12: '9223372036854775807 + 1' has no value: it divides by "
            "zero or leaves the integer range");
  // The same division with a fact in it is the evaluator's business (unknown at run time).
  EXPECT_TRUE(load_all_the_way(kHead + reason("R", "x / 0 > 1")).ok());
}

TEST(HostilePolicies, APolicyThatIsNotUtf8IsAPositionedError) {
  // A Latin-1 "ü" in a message once loaded, and every decision quoting it was JSON no strict
  // client parses; the audit export stopped at its record.
  auto latin = load_all_the_way(kHead + reason("R", "x > 1") + "# Ausweis ung\xfcltig\n");
  EXPECT_FALSE(latin.ok());
  EXPECT_EQ(first_error(latin), "16:14: this byte is not UTF-8 text: save the policy as UTF-8");
  EXPECT_TRUE(kyc::common::is_utf8(latin.report()));
}

TEST(HostilePolicies, ThousandsOfErrorsOnOneLongLineStayASmallReport) {
  // 3,000 type errors on a one-line reason of 33 KB: each once quoted the whole line (167 MB of
  // JSON from the validate route). The line is shown around each column, and past 1,000
  // problems they are counted.
  auto p = load_all_the_way(kHead + reason("R", repeat("x > \"a\"", " or ", 3000)));
  EXPECT_FALSE(p.ok());
  EXPECT_EQ(p.diagnostics.error_count(), 3000u);
  EXPECT_EQ(p.diagnostics.items().size(), dsl::Diagnostics::kKept);
  std::string report = p.report();
  EXPECT_LT(report.size(), 1000 * 400u);
  EXPECT_NE(report.find(std::to_string(p.diagnostics.not_kept()) + " more problems not shown"),
            std::string::npos);
  EXPECT_GE(p.diagnostics.not_kept(), 2000u);
  EXPECT_NE(report.find("..."), std::string::npos);  // a window of the line, marked
}

TEST(HostilePolicies, ADeviceOrAFileOverTheLimitIsNotReadWhole) {
  // `kyc check /dev/zero` once read until memory ran out, 200 MB a second.
  auto device = dsl::load_policy_file("/dev/zero");
  EXPECT_EQ(first_error(device), "1:1: not a regular file");
  std::string text;
  auto read = dsl::read_file(KYC_SOURCE_DIR "/policies/kyc.policy", text, 100);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().message, "the file is over 100 bytes");
}

TEST(HostilePolicies, LongTextsForNameSimilarityAndManyCallsArePositionedErrors) {
  // A constant of two 120,000-character names held the service 21 s in validation (probe,
  // stop 48): name_similarity costs the product of its texts' lengths.
  std::string a(120000, 'A'), b(120000, 'B');
  auto started = std::chrono::steady_clock::now();
  auto folded = load_all_the_way(kHead + "let S = name_similarity(\"" + a + "\", \"" + b + "\")\n" +
                                 reason("R", "S > 0.5"));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  EXPECT_FALSE(folded.ok());
  EXPECT_EQ(first_error(folded),
            "11:25: name_similarity compares names: a text written in the policy for it is at "
            "most 4096 bytes, and this one holds one of 120000 (comparing it would take seconds "
            "per decision)");
  // Through constants and a function of them, read at every decision.
  auto indexed = load_all_the_way(kHead + "let M = \"" + a + "\"\nlet N = M\n" +
                                  reason("R", "name_similarity(s, lower(N)) > 0.5"));
  EXPECT_NE(first_error(indexed).find("holds one of 120000"), std::string::npos)
      << first_error(indexed);

  auto many =
      load_all_the_way(kHead + reason("R", repeat("name_similarity(s, o) > 0.5", " or ", 17)));
  EXPECT_NE(first_error(many).find("may call name_similarity at most 16 times"), std::string::npos)
      << first_error(many);
  auto fine = load_all_the_way(kHead + "let N = \"" + std::string(4096, 'A') + "\"\n" +
                               reason("R", repeat("name_similarity(s, N) > 0.5", " or ", 16)));
  EXPECT_TRUE(fine.ok()) << fine.report();
}
