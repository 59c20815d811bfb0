// The image reasons on real specimen images, as the service reads them (both adapters, then
// the shipped policy), against the labels a person gave them by eye in
// shared/data/mrz/images/quality.json. These images were never tuned on one by one: the
// test prints every image's reasons and asserts the limits of issue 17:
// - IMAGE_POOR_LIGHTING on at most 1 of the images labelled evenly lit;
// - DOC_INFO_INCOMPLETE on at most 1 of those labelled complete (wholly in the frame);
// - DOC_NOT_ORIGINAL on every screenshot.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "adapters/photos/photo_facts.h"
#include "common/civil_date.h"
#include "dsl/policy_loader.h"
#include "engine/evaluator.h"
#include "engine/json/decision.h"
#include "engine/json/facts_reader.h"
#include "tests/adapters/shared_data.h"

namespace kyc::photos {
namespace {

using test_support::load_shared_json;
using test_support::shared_data_path;
using test_support::str;

constexpr const char* kToday = "2026-12-04";

// The reasons the shipped policy tells the person about this image (after `hides`).
std::set<std::string> reasons_for(const engine::CompiledPolicy& policy, const std::string& file) {
  std::ifstream in(shared_data_path("mrz/images/" + file), std::ios::binary);
  std::string bytes{std::istreambuf_iterator<char>(in), {}};
  EXPECT_FALSE(bytes.empty()) << file;
  PhotoFacts read = read_photos(bytes, "", *common::parse_date(kToday));
  boost::json::object facts = read.facts;
  facts["today"] = kToday;
  engine::FactFrame frame(policy.schema);
  engine::read_facts(facts, frame);
  engine::Evaluator evaluator(policy);
  auto decision = engine::explain(evaluator, frame, evaluator.evaluate(frame), "en");
  std::set<std::string> codes;
  for (const auto& r : decision.reasons) codes.insert(r.code);
  return codes;
}

bool labelled(const boost::json::object& c, const char* key) {
  const boost::json::value* v = c.if_contains(key);
  return v && v->is_bool() && v->get_bool();
}

TEST(SpecimenQuality, ImageReasonsHoldOnTheLabelledRealImages) {
  const boost::json::value labels = load_shared_json("mrz/images/quality.json");
  ASSERT_TRUE(labels.is_object()) << "shared/data/mrz/images/quality.json is missing";
  auto loaded = dsl::load_policy_file(KYC_SOURCE_DIR "/policies/kyc.policy");
  ASSERT_TRUE(loaded.ok()) << loaded.report();
  int lit = 0, lighting_fired = 0, complete = 0, incomplete_fired = 0;
  std::string misses;
  for (const auto& entry : labels.at("cases").as_array()) {
    const auto& c = entry.as_object();
    const std::string file = str(c.at("file"));
    std::set<std::string> codes = reasons_for(*loaded.compiled, file);
    std::string shown;
    for (const auto& code : codes) shown += " " + code;
    std::printf("  %-20s lit=%-5s complete=%-5s screenshot=%-5s ->%s\n", file.c_str(),
                labelled(c, "lighting_ok") ? "yes" : "-", labelled(c, "complete") ? "yes" : "-",
                labelled(c, "screenshot") ? "yes" : "-", shown.empty() ? " none" : shown.c_str());
    if (labelled(c, "lighting_ok")) {
      ++lit;
      if (codes.count("IMAGE_POOR_LIGHTING")) ++lighting_fired, misses += " " + file;
    }
    if (labelled(c, "complete")) {
      ++complete;
      if (codes.count("DOC_INFO_INCOMPLETE")) ++incomplete_fired, misses += " " + file;
    }
    if (labelled(c, "screenshot")) {
      EXPECT_TRUE(codes.count("DOC_NOT_ORIGINAL")) << file << " is a screenshot";
    }
  }
  std::printf("IMAGE_POOR_LIGHTING on %d of %d evenly lit; DOC_INFO_INCOMPLETE on %d of %d "
              "complete; against the labels:%s\n",
              lighting_fired, lit, incomplete_fired, complete, misses.c_str());
  EXPECT_GE(lit, 30) << "quality.json labels fewer evenly lit images than expected";
  EXPECT_LE(lighting_fired, 1);
  EXPECT_LE(incomplete_fired, 1);
}

}  // namespace
}  // namespace kyc::photos
