#include "adapters/mrz/mrz_choice_repair.h"

#include <gtest/gtest.h>

#include "adapters/mrz/mrz.h"

namespace kyc::text {
namespace {

// The ICAO 9303 Part 4 specimen, every check digit valid.
const std::vector<std::string> kUtopia = {"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                                          "L898902C36UTO7408122F1204159ZE184226B<<<<<10"};

MrzChoices no_choices(const std::vector<std::string>& lines) {
  MrzChoices choices;
  for (const std::string& line : lines) choices.emplace_back(line.size());
  return choices;
}

bool valid(const std::vector<std::string>& lines) {
  auto parsed = parse_mrz(lines);
  return parsed && parsed->valid;
}

TEST(MrzChoiceRepair, FieldTypePicksTheFittingRunnerUp) {
  std::vector<std::string> lines = kUtopia;
  lines[1][16] = 'E';  // birth date 740812: the '8' read as 'E', which no table maps
  MrzChoices choices = no_choices(lines);
  choices[1][16] = {{'E', 0.6f}, {'8', 0.55f}, {'B', 0.3f}};
  const MrzRepair repair = prefer_choices_fitting_fields(lines, choices);
  EXPECT_EQ(repair.lines, kUtopia);
  ASSERT_EQ(repair.corrections.size(), 1u);
  EXPECT_EQ(repair.corrections[0], (MrzCorrection{1, 16, 'E', '8'}));
}

TEST(MrzChoiceRepair, FieldTypeLeavesFittingCharactersAndUnknownPlaces) {
  std::vector<std::string> lines = kUtopia;
  lines[1][16] = 'E';
  const MrzRepair repair = prefer_choices_fitting_fields(lines, no_choices(lines));
  EXPECT_EQ(repair.lines, lines);  // no runner-up known: left to the confusion table
  EXPECT_TRUE(repair.corrections.empty());
}

TEST(MrzChoiceRepair, CheckDigitSearchTurnsALetterIntoTheDigitItResembles) {
  std::vector<std::string> lines = kUtopia;
  lines[1][5] = 'O';  // L8989O2C3: the document number check fails
  ASSERT_FALSE(valid(lines));
  const MrzRepair repair = search_check_digits(lines, no_choices(lines));
  EXPECT_EQ(repair.lines, kUtopia);
  EXPECT_TRUE(valid(repair.lines));
}

TEST(MrzChoiceRepair, CheckDigitSearchNeverTurnsADigitIntoALetterOnTheTableAlone) {
  // L898902C3 with the C read as 0: only 0 -> C would verify, and nothing but the check digit
  // says so.
  std::vector<std::string> lines = kUtopia;
  lines[1][7] = '0';
  const MrzRepair repair = search_check_digits(lines, no_choices(lines));
  EXPECT_EQ(repair.lines, lines);
}

TEST(MrzChoiceRepair, CheckDigitSearchTakesTwoChangesOnlyWhereTheOcrWasTorn) {
  std::vector<std::string> lines = kUtopia;
  lines[1][1] = '6';  // L668902C3: two digits wrong, no table relates them
  lines[1][2] = '6';
  MrzChoices choices = no_choices(lines);
  EXPECT_EQ(search_check_digits(lines, choices).lines, lines);

  choices[1][1] = {{'6', 0.5f}, {'8', 0.45f}};
  choices[1][2] = {{'6', 0.5f}, {'9', 0.4f}};
  EXPECT_EQ(search_check_digits(lines, choices).lines, kUtopia);
}

TEST(MrzChoiceRepair, NotAnMrzComesBackUnchanged) {
  const std::vector<std::string> lines = {"HELLO", "WORLD"};
  EXPECT_EQ(search_check_digits(lines, no_choices(lines)).lines, lines);
  EXPECT_EQ(prefer_choices_fitting_fields(lines, no_choices(lines)).lines, lines);
}

}  // namespace
}  // namespace kyc::text
