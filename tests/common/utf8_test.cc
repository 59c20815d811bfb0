// Well-formed UTF-8: what is accepted, where the first stray byte is, and the repair.
#include "common/utf8.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using kyc::common::first_non_utf8;
using kyc::common::is_utf8;
using kyc::common::repaired_utf8;

TEST(Utf8, EveryLengthOfSequenceIsAccepted) {
  for (std::string text :
       {"", "plain", "caf\xc3\xa9", "\xe2\x82\xac 5", "\xf0\x9f\x93\xb7", "\xf4\x8f\xbf\xbf"})
    EXPECT_TRUE(is_utf8(text)) << text;
}

TEST(Utf8, MalformedSequencesAreFoundAtTheirFirstByte) {
  EXPECT_EQ(first_non_utf8("ab\xff"), 2u);            // never a lead byte
  EXPECT_EQ(first_non_utf8("ab\xc3"), 2u);            // cut short
  EXPECT_EQ(first_non_utf8("\xc0\xaf"), 0u);          // overlong '/'
  EXPECT_EQ(first_non_utf8("\xe0\x80\xaf"), 0u);      // overlong, three bytes
  EXPECT_EQ(first_non_utf8("x\xed\xa0\x80"), 1u);     // a surrogate
  EXPECT_EQ(first_non_utf8("\xf4\x90\x80\x80"), 0u);  // past U+10FFFF
  EXPECT_EQ(first_non_utf8("\xc3\xa9\x80"), 2u);      // a continuation byte alone
}

TEST(Utf8, RepairReplacesEachStrayByteAndKeepsTheRest) {
  EXPECT_EQ(repaired_utf8("caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_EQ(repaired_utf8("a\xff\xfe"
                          "b\xc3\xa9"),
            "a\xEF\xBF\xBD\xEF\xBF\xBD"
            "b\xc3\xa9");
  EXPECT_TRUE(is_utf8(repaired_utf8("\xed\xa0\x80\xc3")));
}

TEST(Utf8, CodePointsAreDecodedAndStrayBytesStepOne) {
  std::string text = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x93\xb7\xff";
  size_t i = 0;
  std::vector<char32_t> got;
  while (i < text.size()) got.push_back(kyc::common::next_code_point(text, i));
  EXPECT_EQ(got, (std::vector<char32_t>{U'a', 0xE9, 0x20AC, 0x1F4F7, kyc::common::kNotUtf8}));
}
