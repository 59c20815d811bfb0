// The facts the adapters emit on real inputs against the catalogue (`kyc facts`,
// docs/facts.md): every name is catalogued, with a JSON value of the catalogued type, so a fact
// added to an adapter without its line in service/facts_catalogue.cc fails here. The inputs: the
// shared passport and ID photos (MRZ), and the shared AAMVA payloads printed as PDF417 on the
// back of a licence.
#define ZX_USE_UTF8 1
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <set>
#include <string>

#include "adapters/photos/photo_facts.h"
#include "common/civil_date.h"
#include "service/facts_catalogue.h"
#include "tests/adapters/shared_data.h"

namespace kyc::photos {
namespace {

using test_support::load_shared_json;
using test_support::shared_data_path;
using test_support::str;

const int32_t kToday = *common::parse_date("2026-12-04");

std::string shared_file(const std::string& relative) {
  std::ifstream in(shared_data_path(relative), std::ios::binary);
  std::string bytes{std::istreambuf_iterator<char>(in), {}};
  EXPECT_FALSE(bytes.empty()) << relative;
  return bytes;
}

bool has_type(const boost::json::value& v, std::string_view type) {
  if (type == "bool") return v.is_bool();
  if (type == "int") return v.is_int64() || v.is_uint64();
  if (type == "number") return v.is_double() || v.is_int64() || v.is_uint64();
  if (type == "string") return v.is_string();
  if (type == "date") return v.is_string() && common::parse_date(v.get_string());
  return false;
}

// Every fact is catalogued with its type; the names seen are added to `seen`.
void expect_catalogued(const boost::json::object& facts, const std::string& input,
                       std::set<std::string>& seen) {
  for (const auto& [name, value] : facts) {
    seen.insert(std::string(name));
    const service::CataloguedFact* f = service::find_catalogued_fact(name);
    ASSERT_NE(f, nullptr) << input << ": " << name << " is emitted but not catalogued";
    EXPECT_TRUE(has_type(value, f->type))
        << input << ": " << name << " = " << boost::json::serialize(value) << " is not a "
        << f->type;
  }
}

// The back of a licence: the payload's PDF417 on a pale card, on a darker table, as PNG.
std::string licence_back(const std::string& payload) {
  ZXing::MultiFormatWriter writer(ZXing::BarcodeFormat::PDF417);
  writer.setMargin(2);
  ZXing::BitMatrix bits = writer.encode(payload, 0, 0);
  cv::Mat symbol(bits.height(), bits.width(), CV_8U);
  for (int y = 0; y < bits.height(); ++y)
    for (int x = 0; x < bits.width(); ++x) symbol.at<uint8_t>(y, x) = bits.get(x, y) ? 0 : 255;
  cv::resize(symbol, symbol, {}, 3, 3, cv::INTER_NEAREST);
  cv::Mat card(symbol.rows * 2, std::max(symbol.cols + 80, symbol.rows * 3), CV_8UC3,
               cv::Scalar(225, 232, 238));
  cv::Mat bgr;
  cv::cvtColor(symbol, bgr, cv::COLOR_GRAY2BGR);
  bgr.copyTo(card(cv::Rect((card.cols - bgr.cols) / 2, card.rows / 3, bgr.cols, bgr.rows)));
  cv::Mat photo(card.rows * 3 / 2, card.cols * 3 / 2, CV_8UC3, cv::Scalar(70, 85, 100));
  card.copyTo(photo(cv::Rect(card.cols / 4, card.rows / 4, card.cols, card.rows)));
  std::vector<uint8_t> png;
  cv::imencode(".png", photo, png);
  return std::string(png.begin(), png.end());
}

TEST(CataloguedFacts, EveryFactReadFromThePassportAndIdPhotosIsCatalogued) {
  const boost::json::value data = load_shared_json("mrz/images/expected.json");
  ASSERT_TRUE(data.is_object()) << "shared/data/mrz/images/expected.json is missing";
  std::set<std::string> seen;
  for (const char* group : {"ground_truth", "regression"})
    for (const auto& entry : data.at(group).as_array()) {
      const std::string file = str(entry.at("file"));
      expect_catalogued(read_photos(shared_file("mrz/images/" + file), "", kToday).facts, file,
                        seen);
    }
  // The photos did reach the text adapter's new facts: a check that the loop saw them.
  for (const char* name : {"document.issuer", "document.nationality", "document.sex",
                           "document.birth_date", "mrz.valid", "image.glare"})
    EXPECT_TRUE(seen.count(name)) << name << " never emitted";
}

TEST(CataloguedFacts, TheMrzGivesIssuerNationalitySexAndBirthDate) {
  const boost::json::value data = load_shared_json("mrz/images/expected.json");
  ASSERT_TRUE(data.is_object()) << "shared/data/mrz/images/expected.json is missing";
  for (const auto& entry : data.at("ground_truth").as_array()) {
    const std::string file = str(entry.at("file"));
    const auto& expected = entry.at("expected").as_object();
    auto facts = read_photos(shared_file("mrz/images/" + file), "", kToday).facts;
    ASSERT_TRUE(facts.contains("document.issuer")) << file;
    EXPECT_EQ(facts.at("document.issuer"), expected.at("country")) << file;
    EXPECT_EQ(facts.at("document.nationality"), expected.at("nationality")) << file;
    EXPECT_EQ(facts.at("document.sex"), expected.at("sex")) << file;
    // YYMMDD as printed, resolved to the past century: the holders are adults.
    const std::string yymmdd = str(expected.at("date_of_birth"));
    const std::string born =
        "19" + yymmdd.substr(0, 2) + "-" + yymmdd.substr(2, 2) + "-" + yymmdd.substr(4);
    EXPECT_EQ(facts.at("document.birth_date"), boost::json::value(born)) << file;
  }
}

TEST(CataloguedFacts, GermanysOneLetterCodeIsReadAsDeu) {
  auto facts = read_photos(shared_file("mrz/images/53_id-d.jpg"), "", kToday).facts;
  auto* valid = facts.if_contains("mrz.valid");
  if (!valid || !valid->is_bool() || !valid->get_bool())
    GTEST_SKIP() << "the German ID's MRZ does not read with every check digit on this build";
  EXPECT_EQ(facts.at("document.issuer"), "DEU");
  EXPECT_EQ(facts.at("document.nationality"), "DEU");
}

TEST(CataloguedFacts, ALicenceGivesItsIssuingCountryAndNoNationality) {
  const boost::json::value data = load_shared_json("aamva/payloads.json");
  ASSERT_TRUE(data.is_object()) << "shared/data/aamva/payloads.json is missing";
  const std::string front = shared_file("mrz/images/passport-td3.png");
  std::set<std::string> seen;
  for (const auto& entry : data.at("payloads").as_array()) {
    const std::string id = str(entry.at("id"));
    auto facts = read_photos(front, licence_back(str(entry.at("payload"))), kToday).facts;
    expect_catalogued(facts, id, seen);
    ASSERT_TRUE(facts.contains("barcode.present")) << id;
    ASSERT_EQ(facts.at("barcode.present"), true) << id;
    EXPECT_EQ(facts.at("document.type"), "drivers_license") << id;
    EXPECT_EQ(facts.at("document.issuer"), "USA") << id;  // both samples are from Virginia
    EXPECT_FALSE(facts.contains("document.nationality")) << id;
    EXPECT_EQ(facts.at("document.sex"), "M") << id;  // "M" (version 1) and "1" (version 10)
    EXPECT_TRUE(facts.contains("document.birth_date")) << id;
  }
  EXPECT_TRUE(seen.count("back.image.glare"));
}

TEST(CataloguedFacts, ALicenceWhoseExpiryIsNoDateIsNotTakenAsRead) {
  // DBA is mandatory; read without it, the licence passed as one that never expires.
  const boost::json::value data = load_shared_json("aamva/payloads.json");
  ASSERT_TRUE(data.is_object()) << "shared/data/aamva/payloads.json is missing";
  const std::string front = shared_file("mrz/images/passport-td3.png");
  for (const auto& entry : data.at("payloads").as_array()) {
    std::string payload = str(entry.at("payload"));
    size_t at = payload.find("DBA");
    ASSERT_NE(at, std::string::npos);
    payload.replace(at + 3, 8, "99999999");  // same length: the layout's offsets still hold
    auto facts = read_photos(front, licence_back(payload), kToday).facts;
    ASSERT_EQ(facts.at("barcode.present"), true) << str(entry.at("id"));
    // (The front is a passport page: what it gives stands, the licence adds nothing.)
    auto* type = facts.if_contains("document.type");
    EXPECT_TRUE(!type || *type != "drivers_license") << str(entry.at("id"));
  }
}

}  // namespace
}  // namespace kyc::photos
