// The optional-fact trap: a negative test on an absent optional fact reads the wrong way
// round, so the loader warns where nothing says what a missing value means.
#include <gtest/gtest.h>

#include "dsl/policy_loader.h"
#include "tests/test_support.h"

using namespace kyc;

namespace {

const std::string kHead = R"(policy "t" {
  version "1"
  locales en
}
facts {
  document.nationality : string?
  document.number : string?
  primary.number : string?
  mrz.valid : bool?
  account.document_accounts : int
  document.type : string
}
let GERMANY = ["D", "DEU"]
)";  // 13 lines

std::string with_reason(const std::string& when) {
  return kHead + "reason R {\n  outcome reject\n  when " + when +
         "\n  message en { title \"t\" detail \"d\" action \"a\" }\n}\n";
}

std::vector<std::string> warnings(const dsl::LoadedPolicy& p) {
  std::vector<std::string> out;
  for (const auto& d : p.diagnostics.items())
    if (d.severity == dsl::Severity::Warning &&
        (d.message.find(" is optional") != std::string::npos ||
         d.message.find(" are optional") != std::string::npos))
      out.push_back(std::to_string(d.location.line) + ":" + std::to_string(d.location.column) +
                    ": " + d.message);
  return out;
}

TEST(OptionalNegations, TheReportedTrapIsReal) {
  // What the warning is about: a document on five other accounts, no nationality read.
  auto p = test_support::load_ok(
      with_reason("document.nationality not in GERMANY and account.document_accounts >= 1"));
  auto d = test_support::decide(*p.compiled, R"({"account.document_accounts": 5,
                                                 "document.number": "X", "mrz.valid": true,
                                                 "document.type": "passport"})");
  EXPECT_EQ(d.outcome, engine::Outcome::Approve);
  ASSERT_EQ(warnings(p).size(), 1u);
  EXPECT_EQ(warnings(p)[0],
            "16:29: 'document.nationality' is optional: when it is missing, "
            "'document.nationality not in GERMANY' is false. Say what a missing value means: "
            "(document.nationality is missing or document.nationality not in GERMANY) to count "
            "it as passing the test, or (document.nationality is present and "
            "document.nationality not in GERMANY) to count it as not");
  // The report shows the line and a caret under the operator.
  EXPECT_NE(p.report().find("warning: 'document.nationality' is optional"), std::string::npos);
  EXPECT_NE(p.report().find("\n" + std::string(30, ' ') + "^"), std::string::npos) << p.report();
  // The first fix does what was meant.
  auto fixed = test_support::load_ok(
      with_reason("(document.nationality is missing or document.nationality not in GERMANY) and "
                  "account.document_accounts >= 1"));
  EXPECT_TRUE(warnings(fixed).empty());
  auto f = test_support::decide(*fixed.compiled, R"({"account.document_accounts": 5})");
  EXPECT_EQ(f.outcome, engine::Outcome::Reject);
}

TEST(OptionalNegations, EveryNegativeFormWarns) {
  for (const char* when :
       {"document.number != \"X\"", "upper(document.number) != upper(primary.number)",
        "not mrz.valid", "not (document.nationality in GERMANY)",
        "document.type == \"id\" or document.nationality not in GERMANY"}) {
    auto p = test_support::load_ok(with_reason(when));
    EXPECT_EQ(warnings(p).size(), 1u) << when << "\n" << p.report();
  }
  // Two optional facts in one test: one warning that names both, with both guards.
  auto p = test_support::load_ok(with_reason("upper(document.number) != upper(primary.number)"));
  ASSERT_EQ(warnings(p).size(), 1u);
  EXPECT_NE(warnings(p)[0].find("'document.number' or 'primary.number' are optional"),
            std::string::npos)
      << warnings(p)[0];
  EXPECT_NE(warnings(p)[0].find("(document.number is present and primary.number is present and "),
            std::string::npos);
}

TEST(OptionalNegations, GuardedOrPositiveTestsDoNotWarn) {
  for (const char* when :
       {"document.nationality is present and document.nationality not in GERMANY",
        "document.nationality is missing or document.nationality not in GERMANY",
        "account.document_accounts >= 1 and (document.number is present and "
        "(document.type == \"x\" or document.number != \"X\"))",
        "document.nationality in GERMANY", "mrz.valid == false", "document.type != \"id\"",
        "not (document.number is present)", "not (document.type == \"id\")"}) {
    auto p = test_support::load_ok(with_reason(when));
    EXPECT_TRUE(warnings(p).empty()) << when << "\n" << p.report();
  }
}

TEST(OptionalNegations, AReasonThatHoldsBackButReadsOnlyOptionalFactsWarns) {
  // `age(birth, today) < 18` on `birth : date?` approved a submission without a birth date,
  // silently (probe, stop 48).
  auto p = test_support::load_ok(kHead +
                                 "reason MINOR {\n  outcome reject\n  when "
                                 "len(document.number) < 9 and mrz.valid == true\n"
                                 "  message en { title \"t\" detail \"d\" action \"a\" }\n}\n");
  auto d = test_support::decide(*p.compiled, R"({"account.document_accounts": 0,
                                                 "document.type": "passport"})");
  EXPECT_EQ(d.outcome, engine::Outcome::Approve);
  EXPECT_NE(p.report().find("16:3: warning: reason MINOR (reject) reads only optional facts "
                            "(document.number, mrz.valid): when they are missing it does not "
                            "fire, and the submission can be approved. To hold it back, declare "
                            "document.number without '?'"),
            std::string::npos)
      << p.report();
  // Said what absence means, read a required fact too, or only asked to resubmit: no warning.
  for (const std::string& reason :
       {std::string("reject\n  when document.number is missing or len(document.number) < 9"),
        std::string("reject\n  when len(document.number) < 9 and account.document_accounts > 0"),
        std::string("resubmit\n  when len(document.number) < 9")}) {
    auto q = test_support::load_ok(kHead + "reason R {\n  outcome " + reason +
                                   "\n  message en { title \"t\" detail \"d\" action \"a\" }\n}\n");
    EXPECT_EQ(q.report().find("reads only optional facts"), std::string::npos) << q.report();
  }
}

TEST(OptionalNegations, TheShippedPolicyLoadsWithoutWarnings) {
  auto p = dsl::load_policy_file(KYC_SOURCE_DIR "/policies/kyc.policy");
  ASSERT_TRUE(p.ok()) << p.report();
  EXPECT_TRUE(p.diagnostics.items().empty()) << p.report();
}

}  // namespace
