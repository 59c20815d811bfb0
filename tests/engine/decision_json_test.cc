// decision_json() writes a decision straight into a string. The service answers with those
// bytes, the audit log hashes them and replay compares against them, so they must stay what
// Boost.JSON wrote for the same decision before (every decision already recorded).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/test_support.h"

using namespace kyc;

namespace {

// Every field, escapes of each kind, and numbers in Boost.JSON's own format.
engine::Decision every_field() {
  engine::Decision d;
  d.decision_id = "01KA";
  d.outcome = engine::Outcome::Reject;
  d.reasons.push_back(
      {"C\x01\b\t\n\f\r\x1f\x7f", engine::Outcome::Reject, "t\"\\", "d/\xc3\xa9", "", {}});
  d.reasons[0].evidence.push_back(
      {"a < 1e-7", {{"x", 1e-7}, {"y", -0.0}, {"z", 12345678901234.5}, {"w", 3}}});
  d.undetermined.push_back({"U", engine::Outcome::Review, {"a.b", "c"}});
  d.ignored_facts = {"q", std::string("r\0s", 3)};
  d.policy_name = "kyc";
  d.policy_version = "2026-11-27";
  d.policy_sha256 = "ab";
  d.locale = "zh";
  d.today = "2026-11-27";
  d.evaluated_at = "2026-11-27T08:00:00.000Z";
  d.account_id = "acct-7";
  return d;
}

}  // namespace

// The bytes below are what serialize(to_json(d)) gave before decision_json() replaced it (the
// two were compared on 4,000 decisions of the shipped and the benchmark policy, then the tree
// version was removed).
TEST(DecisionJson, WritesTheBytesBoostJsonWrote) {
  EXPECT_EQ(engine::decision_json(every_field()),
            "{\"decision_id\":\"01KA\",\"outcome\":\"reject\",\"reasons\":[{\"code\":\"C\\u0001\\b"
            "\\t\\n\\f\\r\\u001f\x7f\",\"outcome\":\"reject\",\"title\":\"t\\\"\\\\\",\"detail\":"
            "\"d/\xc3\xa9\",\"action\":\"\",\"evidence\":[{\"atom\":\"a < 1e-7\",\"facts\":{\"x\":"
            "1E-7,\"y\":-0E0,\"z\":1.23456789012345E13,\"w\":3}}]}],\"undetermined\":[{\"code\":"
            "\"U\",\"outcome\":\"review\",\"missing\":[\"a.b\",\"c\"]}],\"ignored_facts\":[\"q\","
            "\"r\\u0000s\"],\"policy\":{\"name\":\"kyc\",\"version\":\"2026-11-27\",\"sha256\":"
            "\"ab\"},\"locale\":\"zh\",\"today\":\"2026-11-27\",\"evaluated_at\":"
            "\"2026-11-27T08:00:00.000Z\",\"account_id\":\"acct-7\"}");
}

TEST(DecisionJson, LeavesOutTheOptionalFieldsWhenEmpty) {
  engine::Decision d;
  d.outcome = engine::Outcome::Approve;
  EXPECT_EQ(engine::decision_json(d),
            R"({"outcome":"approve","reasons":[],"undetermined":[],"policy":{"name":"",)"
            R"("version":"","sha256":""},"locale":"","evaluated_at":""})");
}

// Real decisions of the shipped policy (its examples) read back through Boost.JSON
// and serialize to the same bytes: the text is what Boost.JSON writes for that tree.
TEST(DecisionJson, ShippedPolicyDecisionsAreBoostJsonsOwnText) {
  auto loaded = dsl::load_policy_file(KYC_SOURCE_DIR "/policies/kyc.policy");
  ASSERT_TRUE(loaded.ok()) << loaded.report();
  int decisions = 0;
  for (const auto& file :
       std::filesystem::directory_iterator(KYC_SOURCE_DIR "/policies/examples")) {
    if (file.path().extension() != ".json") continue;  // the example policies live there too
    std::stringstream text;
    text << std::ifstream(file.path()).rdbuf();
    auto example = boost::json::parse(text.str()).as_object();  // facts, or a request
    const auto& facts = example.contains("facts") ? example.at("facts") : example;
    for (const char* locale : {"en", "zh"}) {
      auto d = test_support::decide(*loaded.compiled, boost::json::serialize(facts));
      d.locale = locale;
      d.evaluated_at = "2026-11-27T08:00:00.000Z";
      std::string json = engine::decision_json(d);
      EXPECT_EQ(boost::json::serialize(boost::json::parse(json)), json) << file.path();
      ++decisions;
    }
  }
  EXPECT_GE(decisions, 6);
}
