// parse_mrz on cases the shared vectors do not cover: the visa formats, positioned parse
// errors, characters outside the MRZ set, and the edges of the long document number rule.
#include "adapters/mrz/mrz.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "adapters/mrz/mrz_check_digit.h"

using namespace kyc::text;

namespace {

MrzResult parse_ok(const std::vector<std::string>& lines) {
  auto parsed = parse_mrz(lines);
  if (!parsed) {
    ADD_FAILURE() << parsed.error().message;
    return {};
  }
  return *parsed;
}

MrzParseError parse_error(const std::vector<std::string>& lines) {
  auto parsed = parse_mrz(lines);
  if (parsed) {
    ADD_FAILURE() << "parsed without error";
    return {};
  }
  return parsed.error();
}

// ICAO 9303 Part 7, the Utopia visa specimens.
TEST(Mrz, VisaTypeBHasNoCompositeCheckDigit) {
  MrzResult r =
      parse_ok({"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<"});
  EXPECT_EQ(r.format, MrzFormat::MRVB);
  EXPECT_TRUE(r.valid);
  EXPECT_EQ(r.document_code, "V");
  EXPECT_EQ(r.document_number, "L8988901C");
  EXPECT_EQ(r.nationality, "XXX");
  EXPECT_EQ(r.birth_date, "400907");
  EXPECT_EQ(r.expiry_date, "961210");
  EXPECT_EQ(r.surname, "ERIKSSON");
  EXPECT_EQ(r.given_names, "ANNA MARIA");
  EXPECT_EQ(r.check_digits.size(), 3u);
  EXPECT_EQ(r.find_check(MrzCheck::Composite), nullptr);
}

TEST(Mrz, VisaTypeAKeepsSixteenOptionalCharacters) {
  MrzResult r = parse_ok({"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                          "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"});
  EXPECT_EQ(r.format, MrzFormat::MRVA);
  EXPECT_TRUE(r.valid);
  EXPECT_EQ(r.optional_data, "6ZE184226B");
  EXPECT_EQ(r.personal_number, "");
}

TEST(Mrz, ParseErrorsArePositioned) {
  auto short_second = parse_error({"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                                   "L898902C36UTO7408122F1204159ZE184226B<<<<<1"});
  EXPECT_EQ(short_second.line, 1);
  EXPECT_EQ(short_second.column, 43);
  EXPECT_NE(short_second.message.find("43 characters"), std::string::npos);
  EXPECT_NE(short_second.message.find("TD3 has 44"), std::string::npos);

  auto long_third = parse_error({"I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
                                 "ERIKSSON<<ANNA<MARIA<<<<<<<<<<<<"});
  EXPECT_EQ(long_third.line, 2);
  EXPECT_EQ(long_third.column, 30);

  auto one_line = parse_error({"P<UTOERIKSSON"});
  EXPECT_EQ(one_line.line, 0);
  EXPECT_EQ(one_line.column, 13);
  EXPECT_NE(one_line.message.find("13 characters"), std::string::npos);

  EXPECT_NE(parse_error({}).message.find("found 0"), std::string::npos);
}

TEST(Mrz, CharactersOutsideTheSetFailTheirCheckDigit) {
  EXPECT_FALSE(compute_check_digit("L89890?C3").has_value());
  EXPECT_FALSE(compute_check_digit("l898902c3").has_value());
  MrzResult r = parse_ok({"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                          "L89890?C36UTO7408122F1204159ZE184226B<<<<<10"});
  EXPECT_FALSE(r.charset_valid);
  EXPECT_FALSE(r.valid);
  const MrzCheckDigit* number = r.find_check(MrzCheck::DocumentNumber);
  ASSERT_NE(number, nullptr);
  EXPECT_FALSE(number->computed.has_value());
  EXPECT_FALSE(number->verified);
  EXPECT_EQ(r.malformed_fields, std::vector<MrzFieldId>{MrzFieldId::DocumentNumber});
}

TEST(Mrz, PersonalNumberFillerDigitOnlyForAnEmptyField) {
  MrzResult empty = parse_ok({"P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<",
                              "C01X0006H1D<<6408125F1710319<<<<<<<<<<<<<<<0"});
  EXPECT_TRUE(empty.valid);
  // Same with a personal number but still '<' for its digit: that is a missing digit.
  MrzResult filled = parse_ok({"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                               "L898902C36UTO7408122F1204159ZE184226B<<<<<<0"});
  EXPECT_EQ(filled.failed_checks.front(), MrzCheck::PersonalNumber);
}

TEST(Mrz, LongDocumentNumberFillingTheWholeOptionalData) {
  // 9 + 14 characters of number, its check digit last, no filler to end it.
  const std::string first = "I<UTOD23145890<ABCDEFGHIJKLMN";
  const std::string number = "D23145890ABCDEFGHIJKLMN";
  const char digit = static_cast<char>('0' + *compute_check_digit(number));
  std::vector<std::string> lines = {first + digit, "7408122F1204159UTO<<<<<<<<<<<0",
                                    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"};
  lines[1][29] = static_cast<char>(
      '0' + *compute_check_digit(lines[0].substr(5) + lines[1].substr(0, 7) +
                                 lines[1].substr(8, 7) + lines[1].substr(18, 11)));
  MrzResult r = parse_ok(lines);
  EXPECT_EQ(r.document_number, number);
  EXPECT_TRUE(r.valid) << check_name(r.failed_checks.front());
}

TEST(Mrz, FillerInTheCheckDigitWithNothingAfterItIsABadDigit) {
  MrzResult r = parse_ok({"I<UTOD23145890<<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
                          "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"});
  EXPECT_EQ(r.document_number, "D23145890");
  EXPECT_EQ(r.failed_checks.front(), MrzCheck::DocumentNumber);
}

TEST(Mrz, NamesReadFillersAsSpaces) {
  EXPECT_EQ(clean_mrz_name("DE<LA<<<CRUZ<<<"), "DE LA CRUZ");
  EXPECT_EQ(clean_mrz_name("<<<"), "");
  EXPECT_EQ(clean_mrz_text("<010195<112X<<"), "010195 112X");
  MrzResult only_surname =
      parse_ok({"I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
                "ERIKSSON<ANNA<MARIA<<<<<<<<<<<"});
  EXPECT_EQ(only_surname.surname, "ERIKSSON ANNA MARIA");
  EXPECT_EQ(only_surname.given_names, "");
}

}  // namespace
