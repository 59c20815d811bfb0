// Where each reason is written, from the parsed text: the console marks these lines beside a
// recorded policy.
#include "dsl/reason_lines.h"

#include <gtest/gtest.h>

#include "dsl/parser.h"

using namespace kyc;

TEST(ReasonLines, BlockWhenAndClosingBraceOfEachReason) {
  dsl::SourceFile file("t.policy", R"(policy "t" {
  version "1"
  locales en
}
facts {
  x : int
}
# the first reason
reason BIG {
  outcome resubmit
  message en { title "t" detail "d" action "a" }
  when
    x > 10
}  # after it

reason SMALL { outcome review when x < 0 message en { title "t" detail "d" action "a" } }
)");
  dsl::Diagnostics diags;
  auto policy = dsl::parse_policy(file, diags);
  ASSERT_FALSE(diags.has_errors()) << dsl::format_all(file, diags);
  auto lines = dsl::reason_lines(policy, file);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].code, "BIG");
  EXPECT_EQ(lines[0].line, 9u);
  EXPECT_EQ(lines[0].when_line, 12u);  // the keyword's line, not its expression's
  EXPECT_EQ(lines[0].end_line, 14u);   // the brace's, not the comment after it
  EXPECT_EQ(lines[1].code, "SMALL");
  EXPECT_EQ(lines[1].line, 16u);
  EXPECT_EQ(lines[1].when_line, 16u);
  EXPECT_EQ(lines[1].end_line, 16u);
}
