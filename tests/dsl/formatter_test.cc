#include "dsl/formatter.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "dsl/expr_printer.h"
#include "dsl/parser.h"
#include "dsl/policy_loader.h"

using namespace kyc;
namespace fs = std::filesystem;

namespace {

std::string fmt(const std::string& name, const std::string& text) {
  dsl::SourceFile file(name, text);
  dsl::Diagnostics diags;
  auto ast = dsl::parse_policy(file, diags);
  EXPECT_FALSE(diags.has_errors()) << dsl::format_all(file, diags);
  return dsl::format_policy(ast, file);
}

// A structural fingerprint of a policy: everything but layout and comments.
std::string fingerprint(const std::string& text) {
  dsl::SourceFile file("x", text);
  dsl::Diagnostics diags;
  auto p = dsl::parse_policy(file, diags);
  std::string out = p.header.name + "|" + p.header.version.value_or("") + "|";
  for (const auto& l : p.header.locales) out += l.text + ",";
  for (const auto& f : p.facts)
    out += f.name.text + ":" + engine::type_name(f.type) + (f.optional ? "?" : "") +
           (f.personal ? " personal" : "") + ";";
  for (const auto& l : p.lets) out += "let " + l.name.text + "=" + dsl::print_expr(*l.value) + ";";
  for (const auto& r : p.reasons) {
    out += "reason " + r.code.text + " " +
           std::to_string(static_cast<int>(r.outcome.value_or(engine::Outcome::Approve))) +
           " when " + (r.when ? dsl::print_expr(*r.when) : "") + " hides";
    for (const auto& h : r.hides) out += " " + h.text;
    for (const auto& m : r.messages)
      out += " msg " + m.locale.text + m.title.value + m.detail.value + m.action.value;
    out += ";";
  }
  for (const auto& n : p.notices) {
    out += "notice " + n.locale.text;
    for (const auto& l : n.lines)
      out += " " + std::string(dsl::kNoticeParts[static_cast<size_t>(l.part)]) + " " +
             (l.outcome ? std::string(engine::outcome_name(*l.outcome)) : "*") + " " + l.text.value;
    out += ";";
  }
  return out;
}

std::vector<fs::path> repo_policies() {
  std::vector<fs::path> out;
  for (const char* dir : {KYC_SOURCE_DIR "/policies", KYC_SOURCE_DIR "/tests/dsl/data",
                          KYC_SOURCE_DIR "/../shared/bench-peers"}) {
    if (!fs::exists(dir)) continue;
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().extension() == ".policy") out.push_back(e.path());
  }
  return out;
}

}  // namespace

TEST(Formatter, IdempotentAndMeaningPreservingOnEveryPolicyInTheRepo) {
  auto files = repo_policies();
  ASSERT_GE(files.size(), 2u);
  for (const auto& path : files) {
    std::string text;
    ASSERT_TRUE(dsl::read_file(path.string(), text));
    std::string once = fmt(path.string(), text);
    std::string twice = fmt(path.string(), once);
    EXPECT_EQ(once, twice) << path;
    EXPECT_EQ(fingerprint(text), fingerprint(once)) << path;
    // Comments survive.
    size_t comments_before = std::count(text.begin(), text.end(), '#');
    size_t comments_after = std::count(once.begin(), once.end(), '#');
    EXPECT_EQ(comments_before, comments_after) << path;
  }
}

TEST(Formatter, CanonicalLayoutKeepsComments) {
  std::string messy = R"(# The header.
policy   "t"{version "1"
locales en,zh}
facts{ x:int   # count
long.name : string?
}
let   LIMIT=2*3
reason R{outcome resubmit when (x>LIMIT) and not(long.name is missing)
  message en{title "a" detail "b {x}" action "c"}
  message zh{title "a" detail "b" action "c"}}
# trailing note
)";
  std::string expected = R"(# The header.
policy "t" {
  version "1"
  locales en, zh
}

facts {
  x         : int  # count
  long.name : string?
}

let LIMIT = 2 * 3

reason R {
  outcome resubmit
  when x > LIMIT and not long.name is missing
  message en {
    title  "a"
    detail "b {x}"
    action "c"
  }
  message zh {
    title  "a"
    detail "b"
    action "c"
  }
}

# trailing note
)";
  EXPECT_EQ(fmt("m.policy", messy), expected);
  EXPECT_EQ(fmt("m.policy", expected), expected);
}

TEST(Formatter, NoticeTextsLineUpWithTheirCommentsInPlace) {
  std::string head = "policy \"t\" {\n  version \"1\"\n  locales en\n}\n\n";
  std::string messy = head + R"(notice en{subject approve "Verified" subject resubmit "Again";
  subject review "Wait"   # a person looks
  subject reject "No"
    greeting "Hello,"
  # one intro for every outcome
  intro "Dear user:" closing "Bye."}
)";
  std::string want = head + R"(notice en {
  subject  approve  "Verified"
  subject  resubmit "Again"
  subject  review   "Wait"  # a person looks
  subject  reject   "No"
  greeting "Hello,"
  # one intro for every outcome
  intro    "Dear user:"
  closing  "Bye."
}
)";
  EXPECT_EQ(fmt("n.policy", messy), want);
  EXPECT_EQ(fmt("n.policy", want), want) << "formatting a formatted notice changes nothing";
  EXPECT_EQ(fingerprint(messy), fingerprint(want));
}

TEST(Formatter, PrintsOnlyTheParenthesesPrecedenceNeeds) {
  std::string text =
      "policy \"t\" {\n  version \"1\"\n  locales en\n}\nfacts {\n  a : int\n  b : bool\n  c : "
      "bool\n}\n"
      "reason R {\n  outcome review\n  when ((a - (1 - 2)) * 3 > 4) and (b or c) and not (b and "
      "c)\n"
      "  message en { title \"t\" detail \"d\" action \"a\" }\n}\n";
  std::string out = fmt("p.policy", text);
  EXPECT_NE(out.find("when (a - (1 - 2)) * 3 > 4 and (b or c) and not (b and c)\n"),
            std::string::npos)
      << out;
}

TEST(Formatter, BreaksLongConditionsBeforeTopLevelOperators) {
  std::string cond;
  for (int i = 0; i < 8; ++i)
    cond += (i ? " or " : "") + std::string("a > ") + std::to_string(1000000 + i);
  std::string text =
      "policy \"t\" {\n  version \"1\"\n  locales en\n}\nfacts {\n  a : int\n}\n"
      "reason R {\n  outcome review\n  when " +
      cond + "\n  message en { title \"t\" detail \"d\" action \"a\" }\n}\n";
  std::string out = fmt("p.policy", text);
  EXPECT_NE(out.find("  when a > 1000000\n    or a > 1000001\n"), std::string::npos) << out;
  EXPECT_EQ(fingerprint(out), fingerprint(text));
  EXPECT_EQ(fmt("p.policy", out), out);
}

namespace {

std::string fmt_tests(const std::string& text) {
  dsl::SourceFile file("t.test", text);
  dsl::Diagnostics diags;
  auto suite = dsl::parse_tests(file, diags);
  EXPECT_FALSE(diags.has_errors()) << dsl::format_all(file, diags);
  return dsl::format_tests(suite, file);
}

}  // namespace

TEST(Formatter, TestFilesGetTheCanonicalLayoutWithTheirComments) {
  std::string messy = R"(# tests of t.policy

fixture base { x = 1   # one
today=2026-01-01 }
case "big"   extends base{
  expect   resubmit [BIG,OTHER]
  # the threshold
  x = 11
}
case "gone" extends base { x = missing
undetermined [BIG]
expect review }
)";
  std::string want = R"(# tests of t.policy

fixture base {
  x = 1  # one
  today = 2026-01-01
}

case "big" extends base {
  expect resubmit [BIG, OTHER]
  # the threshold
  x = 11
}

case "gone" extends base {
  x = missing
  undetermined [BIG]
  expect review
}
)";
  EXPECT_EQ(fmt_tests(messy), want);
  EXPECT_EQ(fmt_tests(want), want) << "formatting a formatted file changes nothing";
}

TEST(Formatter, EveryTestFileInTheRepoIsFormatted) {
  for (const char* dir : {"/policies", "/policies/examples"})
    for (const auto& e : fs::directory_iterator(std::string(KYC_SOURCE_DIR) + dir)) {
      if (e.path().extension() != ".test") continue;
      std::string text;
      ASSERT_TRUE(dsl::read_file(e.path().string(), text));
      EXPECT_EQ(fmt_tests(text), text) << e.path();
    }
}
