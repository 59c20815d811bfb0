// repair_mrz beyond the shared autocorrect cases: the check-digit-guided swaps.
#include "adapters/mrz/mrz_repair.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "adapters/mrz/mrz.h"

using namespace kyc::text;

namespace {

MrzRepair repair_ok(const std::vector<std::string>& lines) {
  auto repaired = repair_mrz(lines);
  if (!repaired) {
    ADD_FAILURE() << repaired.error().message;
    return {};
  }
  return *repaired;
}

const std::string kUtopiaTd3Names = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";

TEST(MrzRepair, DocumentNumberFixedWhereItsCheckDigitPointsOneWay) {
  // An 'O' read for the 0 of L898902C3: letters are allowed there, so only the check digit
  // can tell.
  MrzRepair repair = repair_ok({kUtopiaTd3Names, "L8989O2C36UTO7408122F1204159ZE184226B<<<<<10"});
  EXPECT_EQ(repair.corrections, (std::vector<MrzCorrection>{{1, 5, 'O', '0'}}));
  auto parsed = parse_mrz(repair.lines);
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->valid);
}

TEST(MrzRepair, PersonalNumberFixedTheSameWay) {
  // The CHN specimen's LCOCMKNENBPJB9 with the O read as 0.
  MrzRepair repair = repair_ok({"PTCHNCESHI<<YANGBEN<<<<<<<<<<<<<<<<<<<<<<<<<",
                                "G622925996CHN8310291F1904220LC0CMKNENBPJB984"});
  EXPECT_EQ(repair.corrections, (std::vector<MrzCorrection>{{1, 30, '0', 'O'}}));
}

TEST(MrzRepair, AmbiguousSwapsAreLeftAlone) {
  // ZE1B4226B: both B->8 (the true one) and Z->2 satisfy the personal number and composite
  // check digits, so neither can be chosen.
  MrzRepair repair = repair_ok({kUtopiaTd3Names, "L898902C36UTO7408122F1204159ZE1B4226B<<<<<10"});
  EXPECT_TRUE(repair.corrections.empty());
}

TEST(MrzRepair, WrongDigitIsNotExplainedAway) {
  // The check digit itself is wrong (5 for 6). Reading the first 8 as B would satisfy it,
  // but not the composite, so nothing is invented.
  MrzRepair repair = repair_ok({kUtopiaTd3Names, "L898902C35UTO7408122F1204159ZE184226B<<<<<10"});
  EXPECT_TRUE(repair.corrections.empty());
}

TEST(MrzRepair, TypeRepairsAndCheckRepairsTogetherInLineOrder) {
  MrzRepair repair = repair_ok({"P<UT0ERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                                "L8989O2C36UTO74O8122F1204159ZE184226B<<<<<10"});
  EXPECT_EQ(repair.corrections,
            (std::vector<MrzCorrection>{{0, 4, '0', 'O'}, {1, 5, 'O', '0'}, {1, 15, 'O', '0'}}));
}

// Any single character changed, in every format: repair and parse give values, never crash,
// and a repair never changes more than the characters it reports.
TEST(MrzRepair, EverySingleCharacterChangeIsHandled) {
  const std::vector<std::vector<std::string>> samples = {
      {"I<PRT007777779<ZZ92<<<<<<<<<<<", "8303143M3405282PRT<<<<<<<<<<<2",
       "CACADOR<DE<ARAUJO<<ANDRE<ESTEV"},
      {"I<UTOSTEVENSON<<PETER<JOHN<<<<<<<<<<", "D23145890<UTO3407127M95071227349<<<8"},
      {kUtopiaTd3Names, "L898902C36UTO7408122F1204159ZE184226B<<<<<10"},
      {"IDFRATEST<NAME<<<<<<<<<<<<<<<<0CHE02", "1710GVA123451ROBERTA<<<<<<<9112311F2"},
      {"D1FRA13AA000026181231MARTIN<<9"},
      {"AAA001D<<", "FACHE305142128097<<800126<<<<<", "MARCHAND<<FABIENNE<<<<<<<<<<<<"}};
  for (const auto& sample : samples) {
    for (size_t line = 0; line < sample.size(); ++line) {
      for (size_t column = 0; column < sample[line].size(); ++column) {
        for (char c : {'<', '0', 'O', '8', 'B', '?', '\0'}) {
          std::vector<std::string> changed = sample;
          changed[line][column] = c;
          MrzRepair repair = repair_ok(changed);
          size_t differing = 0;
          for (size_t l = 0; l < changed.size(); ++l)
            for (size_t k = 0; k < changed[l].size(); ++k)
              differing += changed[l][k] != repair.lines[l][k];
          EXPECT_EQ(differing, repair.corrections.size());
          EXPECT_TRUE(parse_mrz(repair.lines).has_value());
        }
      }
    }
  }
}

TEST(MrzRepair, NotAnMrzIsTheParseError) {
  auto repaired = repair_mrz(std::vector<std::string>{"P<UTO", "L898", "X", "Y"});
  ASSERT_TRUE(repaired.has_error());
  EXPECT_EQ(repaired.error().line, 3);
}

}  // namespace
