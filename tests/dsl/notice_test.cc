// The `notice LOCALE { ... }` blocks: what the checker demands of them, what the compiler makes
// of them, and the shipped policy's own texts.
#include <gtest/gtest.h>

#include "dsl/policy_loader.h"

using namespace kyc;
using engine::Outcome;

namespace {

const std::string kPolicy = R"(policy "t" {
  version "1"
  locales en, zh
}
facts {
  x : int
}
let SUPPORT = "help@example.com"
reason R {
  outcome resubmit
  when x > 3
  message en { title "t" detail "d" action "a" }
  message zh { title "t" detail "d" action "a" }
}
)";

// Every part for every outcome, greeting and closing shared: the smallest complete notice.
std::string complete_notice(const std::string& locale) {
  return "notice " + locale + R"( {
  subject  approve  "verified"
  subject  resubmit "send again"
  subject  review   "in review"
  subject  reject   "not verified"
  greeting "Hello,"
  intro    "Your document:"
  closing  "Write to {SUPPORT}."
}
)";
}

std::vector<std::string> errors(const dsl::LoadedPolicy& p) {
  std::vector<std::string> out;
  for (const auto& d : p.diagnostics.items())
    if (d.severity == dsl::Severity::Error)
      out.push_back(std::to_string(d.location.line) + ":" + std::to_string(d.location.column) +
                    ": " + d.message);
  return out;
}

}  // namespace

TEST(Notice, APolicyWithoutANoticeStillLoads) {
  auto p = dsl::load_policy("old.policy", kPolicy);
  ASSERT_TRUE(p.ok()) << p.report();
  EXPECT_TRUE(p.compiled->notices.empty());
  EXPECT_EQ(p.compiled->find_notice("en"), nullptr);
}

TEST(Notice, TextsAreCompiledPerLocaleAndOutcomeWithConstantsFilledIn) {
  // zh first in the file: the compiled notices follow the header's locale order.
  auto p = dsl::load_policy("n.policy", kPolicy + complete_notice("zh") + complete_notice("en"));
  ASSERT_TRUE(p.ok()) << p.report();
  ASSERT_EQ(p.compiled->notices.size(), 2u);
  EXPECT_EQ(p.compiled->notices[0].locale, "en");
  const auto* en = p.compiled->find_notice("en");
  ASSERT_NE(en, nullptr);
  EXPECT_EQ(en->subject[static_cast<size_t>(Outcome::Approve)], "verified");
  EXPECT_EQ(en->subject[static_cast<size_t>(Outcome::Reject)], "not verified");
  for (size_t o = 0; o < 4; ++o) {
    EXPECT_EQ(en->greeting[o], "Hello,");
    EXPECT_EQ(en->closing[o], "Write to help@example.com.");
  }
}

TEST(Notice, MissingTextsNameTheLocaleThePartAndTheOutcome) {
  std::string en_without_reject_closing = R"(notice en {
  subject "s"
  intro "i"
  closing approve "a"
  closing resubmit "r"
  closing review "v"
}
)";
  auto p = dsl::load_policy("n.policy", kPolicy + en_without_reject_closing);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(errors(p),
            (std::vector<std::string>{
                "15:1: no notice for locale 'zh': once a policy has a notice, every locale of its "
                "header needs one",
                "15:8: notice en has no greeting: write `greeting \"...\"` for every outcome, or "
                "one per outcome (`greeting reject \"...\"`)",
                "15:8: notice en has no closing for reject",
            }));
}

TEST(Notice, EachTextIsWrittenOnceForAllOutcomesOrOncePerOutcome) {
  std::string notices = complete_notice("zh") + R"(notice en {
  subject "s"
  subject reject "s"
  greeting "g"
  greeting "g"
  intro review "i"
  intro review "i"
  intro "i"
  closing "c {x} {SUPORT}"
}
notice fr { subject "s" greeting "g" intro "i" closing "c" }
)";
  auto p = dsl::load_policy("n.policy", kPolicy + notices);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(errors(p),
            (std::vector<std::string>{
                "26:3: notice en gives the subject both for every outcome and for one: write it "
                "once without an outcome, or once per outcome",
                "28:3: notice en gives the greeting twice",
                "30:3: notice en gives the intro for review twice",
                "31:3: notice en gives the intro both for every outcome and for one: write it "
                "once without an outcome, or once per outcome",
                "32:15: a notice cannot show facts ('{x}'): a missing fact would print as '?'; "
                "name facts in the reasons' messages",
                "32:19: '{SUPORT}' does not name a constant (did you mean 'SUPPORT'?)",
                "34:8: locale 'fr' is not declared in the policy header",
            }));
}

TEST(Notice, AnOutcomeThatIsNotOneIsASyntaxError) {
  auto p = dsl::load_policy("n.policy", kPolicy + "notice en {\n  subject aprove \"s\"\n}\n");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(errors(p), (std::vector<std::string>{
                           "16:11: expected a string, or an outcome (approve, resubmit, review, "
                           "reject) and a string"}));
}

// The shipped texts: every outcome has its own subject, intro and closing; Chinese is written
// with Chinese punctuation; a reject does not say how to try again.
TEST(Notice, TheShippedPolicysTextsFitEachOutcomeAndLanguage) {
  auto p = dsl::load_policy_file(KYC_SOURCE_DIR "/policies/kyc.policy");
  ASSERT_TRUE(p.ok()) << p.report();
  ASSERT_EQ(p.compiled->notices.size(), p.compiled->locales.size());
  const auto* en = p.compiled->find_notice("en");
  const auto* zh = p.compiled->find_notice("zh");
  ASSERT_TRUE(en && zh);
  for (const auto* n : {en, zh}) {
    for (size_t a = 0; a < 4; ++a)
      for (size_t b = a + 1; b < 4; ++b) {
        EXPECT_NE(n->subject[a], n->subject[b]) << n->locale;
        EXPECT_NE(n->intro[a], n->intro[b]) << n->locale;
        EXPECT_NE(n->closing[a], n->closing[b]) << n->locale;
      }
  }
  for (size_t o = 0; o < 4; ++o) {
    for (const auto* text : {&zh->subject[o], &zh->greeting[o], &zh->intro[o], &zh->closing[o]})
      EXPECT_EQ(text->find_first_of(",.:;!?"), std::string::npos) << *text;
    EXPECT_TRUE(zh->greeting[o].ends_with("：")) << zh->greeting[o];
    EXPECT_TRUE(zh->intro[o].ends_with("。") || zh->intro[o].ends_with("：")) << zh->intro[o];
    EXPECT_TRUE(zh->closing[o].ends_with("。")) << zh->closing[o];
    EXPECT_TRUE(en->closing[o].ends_with(".")) << en->closing[o];
  }
  size_t reject = static_cast<size_t>(Outcome::Reject);
  for (const char* retry : {"upload", "still does not work", "try again"})
    EXPECT_EQ(en->closing[reject].find(retry), std::string::npos) << retry;
  for (const char* retry : {"重新上传", "如仍未通过"})
    EXPECT_EQ(zh->closing[reject].find(retry), std::string::npos) << retry;
  EXPECT_NE(en->closing[reject].find("final"), std::string::npos);
  EXPECT_NE(en->closing[reject].find("support"), std::string::npos);
}
