#include "engine/builtins.h"

#include <gtest/gtest.h>

using kyc::engine::name_similarity;
using kyc::engine::normalize_name;

TEST(NormalizeName, CaseAccentsPunctuationAndOrder) {
  EXPECT_EQ(normalize_name("  Anna-Maria  müller "), "ANNA MARIA MUELLER");
  EXPECT_EQ(normalize_name("Straße"), "STRASSE");
  EXPECT_EQ(normalize_name("Øster, Åse"), "AASE OESTER");
  EXPECT_EQ(normalize_name("SMITH<<JOHN<PAUL"), "JOHN PAUL SMITH");
  EXPECT_EQ(normalize_name("José Ñúñez"), "JOSE NUNEZ");
  EXPECT_EQ(normalize_name(""), "");
}

TEST(NormalizeName, KeepsLettersOfOtherScripts) { EXPECT_EQ(normalize_name("王 小明"), "小明 王"); }

TEST(NameSimilarity, IdenticalAfterNormalisationIsOne) {
  EXPECT_DOUBLE_EQ(name_similarity("John Smith", "SMITH JOHN"), 1.0);
  EXPECT_DOUBLE_EQ(name_similarity("Jürgen Müller", "JUERGEN MUELLER"), 1.0);
}

TEST(NameSimilarity, IsInUnitRangeAndOrdersDifferences) {
  double typo = name_similarity("Jon Smith", "John Smith");
  double middle = name_similarity("John Smith", "John Paul Smith");
  double other = name_similarity("John Smith", "Maria Garcia");
  for (double s : {typo, middle, other}) {
    EXPECT_GE(s, 0.0);
    EXPECT_LE(s, 1.0);
  }
  EXPECT_GT(typo, 0.8);
  EXPECT_GT(middle, 0.75);
  EXPECT_LT(other, 0.4);
  EXPECT_DOUBLE_EQ(name_similarity("", "John"), 0.0);
}

TEST(NameSimilarity, UnmatchedTokensNeverPairTwiceWithTheSameToken) {
  // "O" resembles no token of the longer name; it must take an unused one, not "CHRISTOPHER"
  // again (which would count that name's characters twice).
  double s = name_similarity("Christopher O", "Christopher Xi Li");
  EXPECT_GT(s, 0.7);
  EXPECT_LE(s, 1.0);
}
