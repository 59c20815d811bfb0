// Accuracy of the image adapter with the shipped policy, over synthetic photos whose defects
// are known (tests/fixtures): for each of the six image reasons, precision and recall over
// pooled sets of 350 fixtures (25 of each class), and the share of clean photos that pass the
// image checks. The fixtures are generated from a seed at test time; nothing is tuned to one.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "adapters/image/image_analysis.h"
#include "dsl/policy_loader.h"
#include "engine/json/decision.h"
#include "engine/evaluator.h"
#include "engine/json/facts_reader.h"
#include "tests/fixtures/document_fixtures.h"

namespace {

const std::vector<std::string> kImageReasons = kyc::fixtures::image_reason_codes();

struct Counts {
  int tp = 0, fp = 0, fn = 0;
  double precision() const { return tp + fp ? double(tp) / (tp + fp) : 1.0; }
  double recall() const { return tp + fn ? double(tp) / (tp + fn) : 1.0; }
};

// Per class, the measured values of the facts the image reasons read (to see margins).
std::map<std::string, std::map<std::string, std::vector<double>>> measured;

// KYC_ACCURACY_FACTS names a file that gets one JSON line per fixture (its name, class,
// expected codes and the image adapter's facts): a policy change can then be judged on several
// seeds with `kyc eval` without analysing the photos again.
std::FILE* facts_out = nullptr;

// What the shipped policy made of one photo.
struct Judged {
  std::set<std::string> codes;  // the reasons fired
  boost::json::object facts;    // the image adapter's facts
  std::string summary;          // its outline and light facts, printed beside a miss
};

// The reasons the shipped policy fires on the image adapter's facts alone (the text adapter's
// facts are absent, so reasons that need them stay undetermined, not fired).
Judged judge(const kyc::engine::CompiledPolicy& policy, const std::string& bytes,
             const std::string& cls) {
  kyc::image::ImageAnalysis a = kyc::image::analyze_image(bytes, {});
  Judged j;
  char text[160];
  std::snprintf(text, sizeof text,
                "detected=%d cut_off=%d fill=%.2f brightness=%.0f shadow=%.2f glare=%.3f blur=%.0f",
                a.document_detected, a.cut_off, a.fill, a.lighting.brightness, a.lighting.shadow,
                a.lighting.glare,
                a.sharpness);
  j.summary = text;
  kyc::image::add_facts(a, j.facts);
  for (const char* name : {"image.blur", "image.brightness", "image.glare", "image.shadow",
                           "image.screen", "image.copy"})
    if (auto* v = j.facts.if_contains(name)) measured[cls][name].push_back(v->to_number<double>());
  boost::json::object facts = j.facts;
  facts["today"] = "2026-01-01";
  kyc::engine::FactFrame frame(policy.schema);
  kyc::engine::read_facts(facts, frame);
  kyc::engine::Evaluator ev(policy);
  auto d = kyc::engine::explain(ev, frame, ev.evaluate(frame), "en");
  for (const auto& r : d.reasons) j.codes.insert(r.code);
  return j;
}

// How many sets of 25 photos per class are drawn (from consecutive seeds) and pooled. One set
// (350 photos) leaves each reason's figure with a sampling error of about 0.03-0.04 (50-100
// photos carry it): a 0.9 goal met by a few points passes on one set and fails on the next.
// Four sets (1,400 photos) halve that. Under the sanitizers one set: they look for memory
// errors, and a set takes four minutes there.
#ifdef KYC_SANITIZED
constexpr int kPooledSets = 1;
#else
constexpr int kPooledSets = 4;
#endif
constexpr int kPerClass = 25;

struct Tally {
  std::map<std::string, Counts> counts;
  int clean = 0, clean_passed = 0;
  std::vector<std::string> misses;
  std::map<std::string, std::map<std::string, int>> confusion;  // class -> fired code -> n

  void add(const Tally& other) {
    for (const auto& [code, c] : other.counts) {
      counts[code].tp += c.tp;
      counts[code].fp += c.fp;
      counts[code].fn += c.fn;
    }
    clean += other.clean;
    clean_passed += other.clean_passed;
    misses.insert(misses.end(), other.misses.begin(), other.misses.end());
    for (const auto& [cls, by_code] : other.confusion)
      for (const auto& [code, n] : by_code) confusion[cls][code] += n;
  }
};

// Scores one seeded set of photos into `t`.
void score_set(const kyc::engine::CompiledPolicy& policy, uint64_t seed, Tally& t) {
  auto fixtures = kyc::fixtures::fixture_set(seed, kPerClass);
  ASSERT_GE(fixtures.size(), 300u);
  for (const auto& f : fixtures) {
    std::string cls(kyc::fixtures::defect_name(f.defect));
    Judged judged = judge(policy, f.bytes, cls);
    const std::set<std::string>& got = judged.codes;
    std::set<std::string> want(f.expected_codes.begin(), f.expected_codes.end());
    if (facts_out) {
      boost::json::array expected;
      for (const auto& code : f.expected_codes) expected.emplace_back(code);
      boost::json::object line{{"seed", seed},
                               {"name", f.name},
                               {"class", cls},
                               {"expected", expected},
                               {"facts", judged.facts}};
      std::fprintf(facts_out, "%s\n", boost::json::serialize(line).c_str());
    }
    bool any_image_reason = false;
    for (const auto& code : kImageReasons) {
      bool g = got.count(code), w = want.count(code);
      any_image_reason |= g;
      if (g && w) ++t.counts[code].tp;
      if (g && !w) ++t.counts[code].fp;
      if (!g && w) ++t.counts[code].fn;
      if (g) ++t.confusion[cls][code];
      if (g != w)
        t.misses.push_back(std::to_string(seed) + "/" + f.name + (g ? ": fired " : ": missed ") +
                           code + " (" + f.description + ") " + judged.summary);
    }
    if (f.defect == kyc::fixtures::Defect::Clean) {
      ++t.clean;
      t.clean_passed += !any_image_reason;
    }
  }
}

void print_table(const Tally& t) {
  std::printf("%-26s %5s %5s %5s %9s %7s\n", "reason", "tp", "fp", "fn", "precision", "recall");
  for (const auto& code : kImageReasons) {
    auto it = t.counts.find(code);
    Counts c = it == t.counts.end() ? Counts{} : it->second;
    std::printf("%-26s %5d %5d %5d %9.3f %7.3f\n", code.c_str(), c.tp, c.fp, c.fn, c.precision(),
                c.recall());
  }
  std::printf("clean photos passing every image check: %d of %d (%.1f%%)\n", t.clean_passed,
              t.clean, 100.0 * t.clean_passed / std::max(1, t.clean));
}

}  // namespace

TEST(ImageAccuracy, EachImageReasonReachesNinetyPercentPrecisionAndRecall) {
  auto loaded = kyc::dsl::load_policy_file(KYC_SOURCE_DIR "/policies/kyc.policy");
  ASSERT_TRUE(loaded.ok()) << loaded.report();
  // KYC_ACCURACY_SEED draws other sets, to check that a change is not fitted to these.
  const char* seed_text = std::getenv("KYC_ACCURACY_SEED");
  const uint64_t first_seed = seed_text ? std::strtoull(seed_text, nullptr, 10) : 20261127;
  const char* facts_path = std::getenv("KYC_ACCURACY_FACTS");
  if (facts_path) facts_out = std::fopen(facts_path, "w");
  Tally pooled;
  for (int i = 0; i < kPooledSets; ++i) {
    const uint64_t seed = first_seed + static_cast<uint64_t>(i);
    Tally one;
    score_set(*loaded.compiled, seed, one);
    std::printf("\nset %d of %d: seed %llu, %d photos per class\n", i + 1, kPooledSets,
                static_cast<unsigned long long>(seed), kPerClass);
    print_table(one);
    pooled.add(one);
  }
  if (facts_out) {
    std::fclose(facts_out);
    facts_out = nullptr;
  }
  std::printf("\nimage reasons over all %d sets (%d photos per class each, seeds %llu-%llu)\n",
              kPooledSets, kPerClass, static_cast<unsigned long long>(first_seed),
              static_cast<unsigned long long>(first_seed + kPooledSets - 1));
  print_table(pooled);
  std::printf("\nmisses:\n");
  for (const auto& m : pooled.misses) std::printf("  %s\n", m.c_str());
  std::printf("\nwhat fired, per class:\n");
  for (const auto& [cls, fired_codes] : pooled.confusion) {
    std::printf("  %-13s", cls.c_str());
    for (const auto& [code, n] : fired_codes) std::printf(" %s:%d", code.c_str(), n);
    std::printf("\n");
  }
  std::printf("\nmeasured values per class (min / median / max):\n");
  for (auto& [cls, by_fact] : measured) {
    std::printf("  %s\n", cls.c_str());
    for (auto& [name, values] : by_fact) {
      std::sort(values.begin(), values.end());
      std::printf("    %-18s %10.3f %10.3f %10.3f\n", name.c_str(), values.front(),
                  values[values.size() / 2], values.back());
    }
  }
  // Issue 5: each image reason at least 0.9 precision and 0.9 recall, over the pooled sets.
  for (const auto& code : kImageReasons) {
    EXPECT_GE(pooled.counts[code].precision(), 0.9) << code;
    EXPECT_GE(pooled.counts[code].recall(), 0.9) << code;
  }
  EXPECT_GE(pooled.clean_passed, pooled.clean * 95 / 100);
}

// The real specimen photos and scans of shared/data/mrz/images: every one decodes and holds a
// document; how many pass every image check is printed (they are scans, crops and phone
// photos of varying quality, so not all should).
TEST(ImageAccuracy, SharedSpecimenImagesDecodeAndShowADocument) {
  auto loaded = kyc::dsl::load_policy_file(KYC_SOURCE_DIR "/policies/kyc.policy");
  ASSERT_TRUE(loaded.ok());
  std::string dir = KYC_SOURCE_DIR "/../shared/data/mrz/images/";
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".jpg" || e.path().extension() == ".png")
      files.push_back(e.path().filename().string());
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files.size(), 38u);
  int detected = 0, clean = 0;
  for (const auto& name : files) {
    std::string bytes;
    ASSERT_TRUE(kyc::dsl::read_file(dir + name, bytes));
    kyc::image::ImageAnalysis a = kyc::image::analyze_image(bytes, {});
    EXPECT_TRUE(a.decodable) << name;
    detected += a.document_detected;
    std::set<std::string> got = judge(*loaded.compiled, bytes, "specimen").codes;
    clean += got.empty();
    std::string codes;
    for (const auto& c : got) codes += " " + c;
    std::printf("  %-22s detected=%d cut_off=%d fired:%s\n", name.c_str(), a.document_detected,
                a.cut_off, codes.empty() ? " none" : codes.c_str());
  }
  std::printf(
      "shared specimens: %zu decodable, %d with a document detected, %d pass every image "
      "check\n",
      files.size(), detected, clean);
  EXPECT_EQ(detected, static_cast<int>(files.size()));
}
