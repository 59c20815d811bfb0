// Numbers read back exactly as written: Boost 1.81's parser rounds some 17-digit decimals to
// a neighbouring double, and the record's facts, parsed and written again by the personal
// seal, then no longer matched the decision that was made from them.
#include "common/exact_json.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <charconv>
#include <string>

namespace {

double from_text(const std::string& text) {
  double d = 0;
  std::from_chars(text.data(), text.data() + text.size(), d);
  return d;
}

TEST(ExactJson, SeventeenDigitDoublesReadBackBitForBit) {
  // The value of an upload's image.clipped that replay reported as changed.
  const std::string text = "1.0806029735682819E-1";
  boost::system::error_code ec;
  auto v = kyc::common::parse_json_exact("{\"x\":[" + text + ",-2.5e+3,7,18446744073709551615]}", ec);
  ASSERT_FALSE(ec);
  const auto& x = v.at("x").as_array();
  EXPECT_EQ(x.at(0).as_double(), from_text(text));
  EXPECT_EQ(boost::json::serialize(x.at(0)), text);
  EXPECT_EQ(x.at(1).as_double(), -2500.0);
  EXPECT_EQ(x.at(2).as_int64(), 7);
  EXPECT_EQ(x.at(3).as_uint64(), 18446744073709551615u);
}

TEST(ExactJson, ErrorsAreTheParsersOwn) {
  boost::system::error_code ec;
  kyc::common::parse_json_exact("{\"a\":1} x", ec);
  EXPECT_TRUE(ec);
  kyc::common::parse_json_exact("{\"a\":", ec);
  EXPECT_TRUE(ec);
  auto v = kyc::common::parse_json_exact("{\"s\":\"caf\\u00e9\",\"n\":null,\"b\":true}", ec);
  ASSERT_FALSE(ec);
  EXPECT_EQ(v.at("s").as_string(), "caf\xc3\xa9");
}

}  // namespace
