#include "adapters/aamva/aamva.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "adapters/aamva/aamva_licence.h"
#include "common/civil_date.h"
#include "tests/adapters/shared_data.h"

using namespace kyc::text;
namespace json = boost::json;
using kyc::test_support::str;

namespace {

json::array shared_payloads() {
  json::value file = kyc::test_support::load_shared_json("aamva/payloads.json");
  if (!file.is_object()) return {};
  return file.at("payloads").as_array();
}

const json::object& payload_case(const char* id) {
  static const json::array payloads = shared_payloads();
  for (const json::value& p : payloads)
    if (str(p.at("id")) == id) return p.as_object();
  static const json::object none;
  ADD_FAILURE() << "no payload " << id << " in "
                << kyc::test_support::shared_data_path("aamva/payloads.json");
  return none;
}

AamvaFile parse_ok(const std::string& payload) {
  auto parsed = parse_aamva(payload);
  if (!parsed) {
    ADD_FAILURE() << "at " << parsed.error().offset << ": " << parsed.error().message;
    return {};
  }
  return *parsed;
}

AamvaError parse_error(const std::string& payload) {
  auto parsed = parse_aamva(payload);
  if (parsed) {
    ADD_FAILURE() << "parsed without error";
    return {};
  }
  return parsed.error();
}

std::string date(std::optional<int32_t> day) {
  return day ? kyc::common::format_date(*day) : "none";
}

void expect_matches_source(const char* id) {
  const json::object& c = payload_case(id);
  if (c.empty()) return;
  const std::string payload = str(c.at("payload"));
  ASSERT_EQ(payload.size(), static_cast<size_t>(c.at("payload_length").as_int64()));
  const AamvaFile file = parse_ok(payload);
  const json::object& expected = c.at("expected").as_object();

  const json::object& header = expected.at("header").as_object();
  EXPECT_EQ(file.header.issuer_id, header.at("issuer_id").as_int64());
  EXPECT_EQ(file.header.aamva_version, header.at("aamva_version").as_int64());
  EXPECT_EQ(file.header.number_of_entries, header.at("number_of_entries").as_int64());
  EXPECT_EQ(file.header.jurisdiction_version, header.at("jurisdiction_version").as_int64());
  EXPECT_EQ(file.header.file_type, "ANSI ");

  const json::array& designators = expected.at("subfile_designators").as_array();
  ASSERT_EQ(file.designators.size(), designators.size());
  for (size_t i = 0; i < designators.size(); ++i) {
    const json::object& d = designators[i].as_object();
    EXPECT_EQ(file.designators[i].subfile_type, str(d.at("subfile_type")));
    EXPECT_EQ(file.designators[i].offset, d.at("offset").as_int64());
    EXPECT_EQ(file.designators[i].length, d.at("length").as_int64());
  }

  const json::array& subfiles = expected.at("subfiles").as_array();
  ASSERT_EQ(file.subfiles.size(), subfiles.size());
  for (size_t i = 0; i < subfiles.size(); ++i) {
    const json::object& s = subfiles[i].as_object();
    const AamvaSubfile& actual = file.subfiles[i];
    EXPECT_EQ(actual.subfile_type, str(s.at("subfile_type")));
    const json::object& elements = s.at("elements").as_object();
    ASSERT_EQ(actual.elements.size(), elements.size()) << actual.subfile_type;
    size_t k = 0;
    for (const auto& [element_id, value] : elements) {
      // In payload order, values exact to the trailing space.
      EXPECT_EQ(actual.elements[k].id, std::string(element_id));
      EXPECT_EQ(actual.elements[k].value, str(value)) << element_id;
      EXPECT_EQ(payload.compare(actual.elements[k].offset, 3, actual.elements[k].id), 0);
      ++k;
    }
  }
}

TEST(Aamva, Version1PayloadMatchesTheSource) { expect_matches_source("aamva-v1"); }
TEST(Aamva, Version10PayloadMatchesTheSource) { expect_matches_source("aamva-v10"); }

TEST(AamvaLicence, Version1UsesTheFullNameAndYearFirstDates) {
  const json::object& c = payload_case("aamva-v1");
  if (c.empty()) return;
  auto licence = read_licence(parse_ok(str(c.at("payload"))));
  ASSERT_TRUE(licence);
  const AamvaLicence& l = *licence;
  EXPECT_EQ(l.family_name, "PUBLIC");
  EXPECT_EQ(l.given_names, "JOHN Q");
  EXPECT_EQ(l.document_number, "0123456789ABC");
  EXPECT_EQ(l.date_order, AamvaDateOrder::YearFirst);
  EXPECT_EQ(date(l.birth_date), "1976-11-23");
  EXPECT_EQ(date(l.expiry_date), "2001-12-01");
  EXPECT_EQ(date(l.issue_date), "1996-12-01");
  EXPECT_EQ(l.address, "123 MAIN STREET");
  EXPECT_EQ(l.city, "ANYTOWN");
  EXPECT_EQ(l.postal_code, "123459999");
  EXPECT_EQ(l.sex, "M");
  EXPECT_EQ(l.country, "USA");  // no DCG in version 1: from the jurisdiction VA
  EXPECT_TRUE(l.problems.empty());
}

TEST(AamvaLicence, Version10UsesNamePartsAndMonthFirstDatesInTheUsa) {
  const json::object& c = payload_case("aamva-v10");
  if (c.empty()) return;
  auto licence = read_licence(parse_ok(str(c.at("payload"))));
  ASSERT_TRUE(licence);
  const AamvaLicence& l = *licence;
  EXPECT_EQ(l.family_name, "SAMPLE");
  EXPECT_EQ(l.given_names, "MICHAEL JOHN");
  EXPECT_EQ(l.document_number, "T64235789");
  EXPECT_EQ(l.date_order, AamvaDateOrder::MonthFirst);
  EXPECT_EQ(date(l.birth_date), "1986-06-06");
  EXPECT_EQ(date(l.expiry_date), "2024-12-10");
  EXPECT_EQ(date(l.issue_date), "2019-06-06");
  EXPECT_EQ(l.address, "2300 WEST BROAD STREET");
  EXPECT_EQ(l.sex, "M");
  EXPECT_EQ(l.country, "USA");
  EXPECT_TRUE(l.problems.empty());
}

// A version >= 2 payload with one subfile whose offsets are computed, for hand-made cases.
std::string build_payload(const std::string& version, const std::string& subfile) {
  std::string header = "@\n\x1e\rANSI 636012" + version + "0001";
  const size_t offset = header.size() + 10;
  char designator[16];
  std::snprintf(designator, sizeof designator, "%.2s%04zu%04zu", subfile.c_str(), offset,
                subfile.size());
  return header + designator + subfile;
}

TEST(AamvaLicence, CanadaWritesYearFirstFromVersion3On) {
  const std::string subfile =
      "DLDAQ123\nDCSTREMBLAY\nDACMARIE\nDADJOSEE\nDBB19850214\nDBA20300214\nDBC2\nDAJQC\n"
      "DCGCAN\r";
  auto licence = read_licence(parse_ok(build_payload("08", subfile)));
  ASSERT_TRUE(licence);
  const AamvaLicence& l = *licence;
  EXPECT_EQ(l.date_order, AamvaDateOrder::YearFirst);
  EXPECT_EQ(date(l.birth_date), "1985-02-14");
  EXPECT_EQ(date(l.expiry_date), "2030-02-14");
  EXPECT_EQ(l.given_names, "MARIE JOSEE");
  EXPECT_EQ(l.sex, "F");
  EXPECT_EQ(date_order_for(2, "CAN"), AamvaDateOrder::MonthFirst);
  EXPECT_EQ(date_order_for(3, ""), AamvaDateOrder::MonthFirst);
  EXPECT_EQ(date_order_for(1, "USA"), AamvaDateOrder::YearFirst);
}

TEST(AamvaLicence, GivenNamesOfVersions2And3AndAnIdCard) {
  auto licence = read_licence(
      parse_ok(build_payload("03", "IDDAQX1\nDCSDOE\nDCTJANE,ANN\nDBB02301990\nDCGUSA\r")));
  ASSERT_TRUE(licence);
  const AamvaLicence& l = *licence;
  EXPECT_EQ(l.given_names, "JANE ANN");
  // 30 February: the element is there but is no date, so it is reported with its offset.
  EXPECT_EQ(l.birth_date, std::nullopt);
  ASSERT_EQ(l.problems.size(), 1u);
  EXPECT_NE(l.problems[0].message.find("DBB"), std::string::npos);
  EXPECT_EQ(l.problems[0].offset, 21u + 10 + 2 + 6 + 7 + 12);
}

TEST(AamvaLicence, NoLicenceSubfile) {
  auto licence = read_licence(parse_ok(build_payload("10", "ZVZVA01\r")));
  ASSERT_TRUE(licence.has_error());
}

TEST(AamvaLicence, DatesAreEightDigitsOfARealDay) {
  EXPECT_EQ(date(parse_aamva_date("02292024", AamvaDateOrder::MonthFirst)), "2024-02-29");
  EXPECT_EQ(date(parse_aamva_date("20240229", AamvaDateOrder::YearFirst)), "2024-02-29");
  EXPECT_EQ(parse_aamva_date("02292023", AamvaDateOrder::MonthFirst), std::nullopt);
  EXPECT_EQ(parse_aamva_date("13012024", AamvaDateOrder::MonthFirst), std::nullopt);
  EXPECT_EQ(parse_aamva_date("0101202", AamvaDateOrder::MonthFirst), std::nullopt);
  EXPECT_EQ(parse_aamva_date("01-12024", AamvaDateOrder::MonthFirst), std::nullopt);
}

std::string v10_payload() {
  const json::object& c = payload_case("aamva-v10");
  return c.empty() ? std::string() : str(c.at("payload"));
}

TEST(AamvaErrors, EveryTruncationIsAnErrorNotACrash) {
  const std::string payload = v10_payload();
  ASSERT_FALSE(payload.empty());
  for (size_t length = 0; length < payload.size(); ++length) {
    const AamvaError error = parse_error(payload.substr(0, length));
    EXPECT_LE(error.offset, length) << error.message;
    EXPECT_FALSE(error.message.empty());
  }
  EXPECT_NE(parse_error(payload.substr(0, 16)).message.find("too short"), std::string::npos);
}

TEST(AamvaErrors, BadHeaderCharacters) {
  const std::string payload = v10_payload();
  ASSERT_FALSE(payload.empty());
  const char* expected[] = {"compliance indicator", "data element separator", "record separator",
                            "segment terminator", "file type"};
  for (size_t at = 0; at < 5; ++at) {
    std::string broken = payload;
    broken[at] = 'X';
    const AamvaError error = parse_error(broken);
    EXPECT_EQ(error.offset, at);
    EXPECT_NE(error.message.find(expected[at]), std::string::npos) << error.message;
  }
}

TEST(AamvaErrors, BadNumbersInTheHeader) {
  const std::string payload = v10_payload();
  ASSERT_FALSE(payload.empty());
  std::string no_entries = payload;
  no_entries[20] = '0';  // "02" -> "00"
  EXPECT_NE(parse_error(no_entries).message.find("less than 1"), std::string::npos);

  std::string future = payload;
  future.replace(15, 2, "11");
  EXPECT_EQ(parse_error(future).offset, 15u);
  std::string letters = payload;
  letters[11] = 'A';
  EXPECT_EQ(parse_error(letters).offset, 9u);  // the issuer number as a whole
}

TEST(AamvaErrors, SubfileOutsideThePayload) {
  const std::string payload = v10_payload();
  ASSERT_FALSE(payload.empty());
  std::string beyond = payload;
  beyond.replace(33, 4, "0400");  // the ZV subfile's offset
  const AamvaError error = parse_error(beyond);
  EXPECT_EQ(error.offset, 33u);
  EXPECT_NE(error.message.find("past the end"), std::string::npos) << error.message;

  std::string into_header = payload;
  into_header.replace(33, 4, "0005");
  EXPECT_NE(parse_error(into_header).message.find("header"), std::string::npos);

  std::string too_long = payload;
  too_long.replace(37, 4, "9999");
  EXPECT_NE(parse_error(too_long).message.find("past the end"), std::string::npos);

  std::string empty = payload;
  empty.replace(37, 4, "0000");
  EXPECT_NE(parse_error(empty).message.find("length 0"), std::string::npos);
}

// Any single character changed anywhere: a file or an error, and a file reads into a licence.
TEST(AamvaErrors, EverySingleCharacterChangeIsHandled) {
  for (const char* id : {"aamva-v1", "aamva-v10"}) {
    const json::object& c = payload_case(id);
    if (c.empty()) continue;
    const std::string payload = str(c.at("payload"));
    for (size_t at = 0; at < payload.size(); ++at) {
      for (char replacement : {'\n', '\r', '\x1e', '0', '9', 'A', ' ', '\0'}) {
        std::string changed = payload;
        changed[at] = replacement;
        auto parsed = parse_aamva(changed);
        if (parsed) {
          (void)read_licence(*parsed);
        } else {
          EXPECT_LT(parsed.error().offset, changed.size() + 1);
        }
      }
    }
  }
}

TEST(AamvaErrors, SubfileContents) {
  EXPECT_NE(parse_error(build_payload("10", "DLDAQ1\nDCSX")).message.find("segment terminator"),
            std::string::npos);
  const AamvaError short_id = parse_error(build_payload("10", "DLDAQ1\nDC\r"));
  EXPECT_NE(short_id.message.find("3-character id"), std::string::npos);
  EXPECT_EQ(short_id.offset, 21u + 10 + 2 + 5);
  EXPECT_NE(parse_error(build_payload("10", "DLDAQ1\n\nDCSX\r")).message.find("3-character"),
            std::string::npos);
  std::string wrong_type = build_payload("10", "DLDAQ1\r");
  wrong_type[31] = 'I';
  EXPECT_NE(parse_error(wrong_type).message.find("begin with its type"), std::string::npos);
}

}  // namespace
