#include "server/http/access_line.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <ctime>
#include <regex>

#include "service/clock.h"

// The line is written by hand: it must still be one valid JSON object with every field, and a
// hostile path must not break out of its string.
TEST(AccessLine, IsOneJsonObjectWithEveryField) {
  std::string path = "/v1/x\"}\n\\\x01";
  std::string line = kyc::server::access_line(
      {"2026-11-27T08:00:00.000Z", "req-1", "POST", path, 200, 512, 1234, "01ABC", "approve"});
  EXPECT_EQ(line.find('\n'), std::string::npos);
  auto v = boost::json::parse(line).as_object();
  EXPECT_EQ(v.at("ts"), "2026-11-27T08:00:00.000Z");
  EXPECT_EQ(v.at("request_id"), "req-1");
  EXPECT_EQ(v.at("method"), "POST");
  EXPECT_EQ(v.at("path").as_string(), path);
  EXPECT_EQ(v.at("status").as_int64(), 200);
  EXPECT_EQ(v.at("bytes").as_int64(), 512);
  EXPECT_EQ(v.at("us").as_int64(), 1234);
  EXPECT_EQ(v.at("decision_id"), "01ABC");
  EXPECT_EQ(v.at("outcome"), "approve");
}

TEST(AccessLine, LeavesOutTheDecisionWhenThereIsNone) {
  auto v =
      boost::json::parse(kyc::server::access_line({"t", "r", "GET", "/healthz", 200, 2, 5, "", ""}))
          .as_object();
  EXPECT_FALSE(v.contains("decision_id"));
  EXPECT_FALSE(v.contains("outcome"));
  EXPECT_EQ(v.size(), 7u);
}

TEST(AccessLine, NamesTheClientCertificateOnlyUnderMutualTls) {
  kyc::server::AccessEntry e{"t", "r", "GET", "/healthz", 200, 2, 5, "", ""};
  EXPECT_FALSE(boost::json::parse(kyc::server::access_line(e)).as_object().contains("client_cn"));
  e.client_name = "backend-7";
  auto v = boost::json::parse(kyc::server::access_line(e)).as_object();
  EXPECT_EQ(v.at("client_cn").as_string(), "backend-7");
}

TEST(AccessLine, AnUploadsStagesAreOneObjectInMilliseconds) {
  std::vector<std::pair<std::string, double>> stages = {
      {"queue", 0.04}, {"front image", 61.26}, {"mrz on the document", 96.0}};
  kyc::server::AccessEntry e{"t", "r", "POST", "/v1/verifications", 200, 2, 5, "D", "approve"};
  e.stages = &stages;
  auto v = boost::json::parse(kyc::server::access_line(e)).as_object();
  const auto& s = v.at("stages_ms").as_object();
  ASSERT_EQ(s.size(), 3u);
  EXPECT_DOUBLE_EQ(s.at("queue").to_number<double>(), 0.0);
  EXPECT_DOUBLE_EQ(s.at("front image").to_number<double>(), 61.3);
  EXPECT_DOUBLE_EQ(s.at("mrz on the document").to_number<double>(), 96.0);
}

// now_rfc3339 keeps the text of the current second per thread and writes only milliseconds.
// (std::time would not do as the witness: it reads a coarse clock that lags by a tick.)
TEST(Clock, NowIsUtcWithMillisecondsAndAgreesWithTheSystemClock) {
  for (int i = 0; i < 2000; ++i) {
    std::time_t before = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::string now = kyc::service::now_rfc3339();
    std::time_t after = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    ASSERT_TRUE(std::regex_match(now, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
        << now;
    char second[32];
    std::tm tm{};
    bool matched = false;
    for (std::time_t t : {before, after}) {
      gmtime_r(&t, &tm);
      std::strftime(second, sizeof second, "%Y-%m-%dT%H:%M:%S", &tm);
      matched = matched || now.compare(0, 19, second) == 0;
    }
    ASSERT_TRUE(matched) << now;
  }
}
