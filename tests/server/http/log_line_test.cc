// One writer for every log line: escaped, well-formed, and UTF-8 even when the input is not.
#include "server/http/log_line.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>

#include "server/metrics.h"

using kyc::server::LogLine;

TEST(LogLine, ValuesCannotBreakTheLineOrForgeAField) {
  std::string hostile = "x\",\"admin\":true,\"y\":\"\n{\"event\":\"forged\"}";
  std::string line = LogLine::event("handler_exception").add("what", hostile).add("n", 3).str();
  EXPECT_EQ(line.find('\n'), std::string::npos);
  auto v = boost::json::parse(line).as_object();
  EXPECT_EQ(v.at("what").as_string(), hostile);
  EXPECT_FALSE(v.contains("admin"));
  EXPECT_EQ(v.at("n").as_int64(), 3);
}

TEST(LogLine, BytesThatAreNotUtf8BecomeReplacementCharacters) {
  std::string line =
      LogLine::event("e").add("v", std::string("ok \xff\xfe caf\xc3\xa9 \xed\xa0\x80")).str();
  auto v = boost::json::parse(line).as_object();  // strict: invalid UTF-8 would throw
  EXPECT_EQ(v.at("v").as_string(),
            "ok \xEF\xBF\xBD\xEF\xBF\xBD caf\xc3\xa9 \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(Metrics, TheLatencySumKeepsEveryMicrosecond) {
  kyc::server::Metrics m;
  m.request_done("r", 200, std::chrono::microseconds(1234567891));
  m.request_done("r", 200, std::chrono::microseconds(1));
  EXPECT_NE(m.render().find("kycd_request_duration_seconds_sum 1234.567892\n"), std::string::npos)
      << m.render();
}
