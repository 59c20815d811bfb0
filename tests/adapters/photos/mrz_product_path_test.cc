// The MRZ on the product path (outline, crop, then the reader, as POST /v1/verifications and
// `kyc analyze` run it) against the shared passport and ID photos: it must read at least what
// the reader alone reads on the whole photo (kyc_mrz_reader_tests: 29 of the 34 regression
// images), and the four ground-truth specimens must give their number exactly.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include "adapters/photos/photo_facts.h"
#include "common/civil_date.h"
#include "tests/adapters/shared_data.h"

namespace kyc::photos {
namespace {

using test_support::load_shared_json;
using test_support::shared_data_path;
using test_support::str;

PhotoFacts read_shared_photo(const std::string& file) {
  std::ifstream in(shared_data_path("mrz/images/" + file), std::ios::binary);
  std::string bytes{std::istreambuf_iterator<char>(in), {}};
  EXPECT_FALSE(bytes.empty()) << file;
  return read_photos(bytes, "", *common::parse_date("2026-12-04"));
}

bool valid_mrz(const PhotoFacts& p) {
  auto* v = p.facts.if_contains("mrz.valid");
  return v && v->is_bool() && v->get_bool();
}

TEST(MrzProductPath, ReadsAtLeastWhatTheReaderAloneReads) {
  const boost::json::value data = load_shared_json("mrz/images/expected.json");
  ASSERT_TRUE(data.is_object()) << "shared/data/mrz/images/expected.json is missing";
  int valid = 0, from_photo = 0;
  const auto& cases = data.at("regression").as_array();
  for (const auto& entry : cases) {
    const std::string file = str(entry.at("file"));
    PhotoFacts p = read_shared_photo(file);
    bool ok = valid_mrz(p);
    valid += ok;
    from_photo += ok && p.text_source.mrz == "photo";
    std::printf("%-22s %-8s %s\n", file.c_str(), ok ? "valid" : "-", p.text_source.mrz.c_str());
  }
  std::printf("product path: %d/%zu with every check digit valid (%d read from the whole photo)\n",
              valid, cases.size(), from_photo);
  EXPECT_GE(valid, 29);
}

TEST(MrzProductPath, GroundTruthSpecimensGiveTheirNumbers) {
  const boost::json::value data = load_shared_json("mrz/images/expected.json");
  ASSERT_TRUE(data.is_object()) << "shared/data/mrz/images/expected.json is missing";
  for (const auto& entry : data.at("ground_truth").as_array()) {
    const std::string file = str(entry.at("file"));
    PhotoFacts p = read_shared_photo(file);
    EXPECT_TRUE(valid_mrz(p)) << file;
    auto* number = p.facts.if_contains("document.number");
    ASSERT_TRUE(number && number->is_string()) << file;
    EXPECT_EQ(str(*number), str(entry.at("expected").at("number"))) << file;
  }
}

}  // namespace
}  // namespace kyc::photos
