#include "adapters/mrz/mrz_line_fit.h"

#include <gtest/gtest.h>

namespace kyc::text {
namespace {

TEST(MrzLineFit, LineCountAndLengthGiveTheCandidateFormats) {
  EXPECT_EQ(candidate_line_lengths(std::vector<std::string>(3, "X")), std::vector<int>{30});
  EXPECT_EQ(
      candidate_line_lengths(std::vector<std::string>{std::string(35, 'A'), std::string(37, 'A')}),
      (std::vector<int>{36, 44}));
  EXPECT_EQ(
      candidate_line_lengths(std::vector<std::string>{std::string(43, 'A'), std::string(41, 'A')}),
      (std::vector<int>{44, 36}));
  EXPECT_TRUE(candidate_line_lengths(std::vector<std::string>(1, "X")).empty());
}

TEST(MrzLineFit, FillerRunsGrowAndShrink) {
  EXPECT_EQ(fit_filler_runs("P<UTOERIKSSON<<ANNA<MARIA<<<<", 30), "P<UTOERIKSSON<<ANNA<MARIA<<<<<");
  EXPECT_EQ(fit_filler_runs("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<", 30),
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<");
  // The longest run absorbs the difference, not the separator between names.
  EXPECT_EQ(fit_filler_runs("AB<<CD<<<<<<12", 12), "AB<<CD<<<<12");
  // No run of two: padded or cut at the end.
  EXPECT_EQ(fit_filler_runs("ABC", 5), "ABC<<");
  EXPECT_EQ(fit_filler_runs("ABCDEF", 4), "ABCD");
}

}  // namespace
}  // namespace kyc::text
