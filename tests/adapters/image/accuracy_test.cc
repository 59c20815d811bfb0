// Accuracy of the image adapter with the shipped policy, over synthetic photos whose defects
// are known (tests/fixtures): for each of the six image reasons, precision and recall over
// pooled sets of 350 fixtures (25 of each class), and the share of clean photos that pass the
// image checks. The fixtures are generated from a seed at test time; nothing is tuned to one.
//
// The photos come in design families (tests/fixtures/design_family.h), scored in two groups
// (tests/fixtures/family_groups.h): the tuning families, on which the measures may be tuned
// and whose misses are printed, and the held-out families, which must never be looked at while
// tuning. The held-out table says whether what was tuned generalises to documents and cameras
// nobody tuned on (issue 17); its misses are not printed, so that nobody tunes on them.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <span>

#include "adapters/image/image_analysis.h"
#include "dsl/policy_loader.h"
#include "engine/evaluator.h"
#include "engine/json/decision.h"
#include "engine/json/facts_reader.h"
#include "tests/fixtures/document_fixtures.h"
#include "tests/fixtures/family_groups.h"

namespace {

using kyc::fixtures::DesignFamily;

const std::vector<std::string> kImageReasons = kyc::fixtures::image_reason_codes();

// Issue 17's goal (each image reason at 0.9 precision and recall, 95% of clean photos
// passing) holds on the original family, where it is asserted. On the other families it does
// not hold yet (bench/README.md has the tables): there the test guards against regressions
// instead, with floors a little under the pooled figures measured on 2026-12-04 (one sampling
// error of a pool, about 0.03, below them). Switch to the goal once the measures reach it.
constexpr bool kAssertHeldOut = false;
constexpr const char* kGoalFamily = "pastel_guilloche";

// Floors (precision, recall) per reason and the clean-pass share, for one pool of families.
struct Floors {
  std::map<std::string, std::pair<double, double>> reasons;
  double clean_share;
};
// Measured 2026-12-05 (the frame's edge spread and the light read per paper colour, issue
// 17): tuning 0.967/0.967, 0.983/0.943, 0.948/0.967, 1.000/0.938, clean 100%; held out
// 0.989/0.900, 0.963/0.910, 0.883/0.980, 0.945/0.913, clean 92%. 2026-12-06 (edges of the
// light are not sides): tuning 0.967/0.967, 0.983/0.950, 0.960/0.967, 1.000/0.938, clean
// 100%; held out 1.000/0.890, 0.963/0.920, 0.892/0.990, 0.945/0.913, clean 92%. 2026-12-06
// (a pixel with any channel at the ceiling is clipped): tuning 0.967/0.967, 0.980/0.970,
// 0.960/0.960, 1.000/0.938, clean 100%; held out 1.000/0.890, 0.964/0.940, 0.892/0.990,
// 0.945/0.913, clean 92%. 2026-12-06 (a pixel votes only for lines along its own edge):
// tuning 0.973/0.967, 0.980/0.970, 0.967/0.967, 1.000/0.938, clean 100%; held out
// 1.000/0.900, 0.964/0.930, 0.875/0.980, 0.945/0.913, clean 92%. 2026-12-06 (a screen's grid
// is an isolated peak, looked for on the document): tuning 0.973/0.967, 0.993/0.970,
// 0.967/0.967, 1.000/0.973, clean 100%; held out 1.000/0.900, 0.984/0.915, 0.873/0.960,
// 0.918/0.967, clean 92%. 2026-12-06 (a screen's grid is a lattice, in two directions):
// tuning 0.973/0.967, 0.990/0.970, 0.967/0.967, 1.000/0.969, clean 100%; held out
// 1.000/0.900, 0.984/0.935, 0.874/0.970, 0.954/0.960, clean 92%. 2026-12-06 (a border of
// hue alone, searched when the luma shows no whole outline): tuning 0.973/0.980, 0.990/0.973,
// 0.986/0.967, 1.000/0.969, clean 100%; held out 1.000/0.910, 0.984/0.945, 0.907/0.970,
// 0.954/0.960, clean 92%. 2026-12-07 (neutral at a chromaticity square's centre): tuning
// 0.980/0.980, 0.990/0.977, 0.986/0.967, 1.000/0.969, clean 100%; held out 1.000/0.910,
// 0.984/0.950, 0.907/0.970, 0.954/0.960, clean 92%. 2026-12-07 (a copy judged white balanced
// on its paper): tuning 0.980/0.980, 0.990/0.977, 0.986/0.967, 1.000/0.991, clean 100%; held
// out 1.000/0.910, 0.995/0.945, 0.906/0.960, 0.943/0.987, clean 92%.
const Floors kTuningFloors{{{"DOC_UNREADABLE", {0.94, 0.94}},
                            {"IMAGE_POOR_LIGHTING", {0.95, 0.91}},
                            {"DOC_INFO_INCOMPLETE", {0.91, 0.93}},
                            {"DOC_NOT_ORIGINAL", {0.96, 0.97}}},
                           0.95};
const Floors kHeldOutFloors{{{"DOC_UNREADABLE", {0.95, 0.87}},
                             {"IMAGE_POOR_LIGHTING", {0.93, 0.88}},
                             {"DOC_INFO_INCOMPLETE", {0.85, 0.95}},
                             {"DOC_NOT_ORIGINAL", {0.91, 0.88}}},
                            0.86};

// How many sets of 25 photos per class each group draws (from consecutive seeds) and pools.
// One set (350 photos) leaves each reason's figure with a sampling error of about 0.03-0.04
// (50-100 photos carry it): a 0.9 goal met by a few points passes on one set and fails on the
// next. Three sets (1,050 photos) bring it to about 0.02, two (700) to 0.02-0.03; a single
// held-out family (a third of its group's photos) to about 0.04-0.05. Three and two keep the
// whole test at about seven minutes on the 2-core build machine. Under the sanitizers one set
// each: they look for memory errors, and a set takes four minutes there.
// The figures are asserted in the optimized build only: one set is too few for them (a family
// gets about 12 photos per class).
// Under the sanitizers the sweep only looks for memory errors on every kind of photo: two per
// class (a full set takes eight minutes there, three per class six).
#ifdef KYC_SANITIZED
constexpr int kTuningSets = 1;
constexpr int kHeldOutSets = 1;
constexpr bool kAssertFigures = false;
constexpr int kPerClass = 2;
#else
constexpr int kTuningSets = 3;
constexpr int kHeldOutSets = 2;
constexpr bool kAssertFigures = true;
constexpr int kPerClass = 25;
#endif

struct Counts {
  int tp = 0, fp = 0, fn = 0;
  double precision() const { return tp + fp ? double(tp) / (tp + fp) : 1.0; }
  double recall() const { return tp + fn ? double(tp) / (tp + fn) : 1.0; }
  void add(const Counts& o) { tp += o.tp, fp += o.fp, fn += o.fn; }
};

struct CleanPass {
  int clean = 0, passed = 0;
  void add(const CleanPass& o) { clean += o.clean, passed += o.passed; }
};

// One group of families: which, how many sets, and whether its misses may be read.
struct Group {
  const char* name;  // "tuning" or "held_out"
  std::span<const DesignFamily> families;
  int sets;
  bool show_misses;
};

// KYC_ACCURACY_FACTS names a file that gets one JSON line per fixture (its group, family,
// camera, name, class, expected codes and the image adapter's facts): a policy change can then
// be judged on several seeds with `kyc eval` without analysing the photos again. Lines of the
// held-out group are for the final check of a change, not for tuning it.
std::FILE* facts_out = nullptr;

// What the shipped policy made of one photo.
struct Judged {
  std::set<std::string> codes;  // the reasons fired
  boost::json::object facts;    // the image adapter's facts
  std::string summary;          // its outline and light facts, printed beside a miss
};

// The reasons the shipped policy fires on the image adapter's facts alone (the text adapter's
// facts are absent, so reasons that need them stay undetermined, not fired).
Judged judge(const kyc::engine::CompiledPolicy& policy, const std::string& bytes) {
  kyc::image::ImageAnalysis a = kyc::image::analyze_image(bytes, {});
  Judged j;
  char text[160];
  std::snprintf(text, sizeof text,
                "detected=%d cut_off=%d fill=%.2f brightness=%.0f shadow=%.2f glare=%.3f blur=%.0f",
                a.document_detected, a.cut_off, a.fill, a.lighting.brightness, a.lighting.shadow,
                a.lighting.glare, a.sharpness);
  j.summary = text;
  kyc::image::add_facts(a, j.facts);
  boost::json::object facts = j.facts;
  facts["today"] = "2026-01-01";
  kyc::engine::FactFrame frame(policy.schema);
  kyc::engine::read_facts(facts, frame);
  kyc::engine::Evaluator ev(policy);
  auto d = kyc::engine::explain(ev, frame, ev.evaluate(frame), "en");
  for (const auto& r : d.reasons) j.codes.insert(r.code);
  return j;
}

struct Tally {
  std::map<std::string, Counts> counts;
  CleanPass clean;
  std::map<std::string, std::map<std::string, Counts>> by_family;  // family -> code -> counts
  std::map<std::string, CleanPass> clean_by_family;
  std::vector<std::string> misses;
  std::map<std::string, std::map<std::string, int>> confusion;  // class -> fired code -> n
  // Per class, the measured values of the facts the image reasons read (to see margins).
  std::map<std::string, std::map<std::string, std::vector<double>>> measured;

  void add(const Tally& other) {
    for (const auto& [code, c] : other.counts) counts[code].add(c);
    clean.add(other.clean);
    for (const auto& [family, by_code] : other.by_family)
      for (const auto& [code, c] : by_code) by_family[family][code].add(c);
    for (const auto& [family, c] : other.clean_by_family) clean_by_family[family].add(c);
    misses.insert(misses.end(), other.misses.begin(), other.misses.end());
    for (const auto& [cls, by_code] : other.confusion)
      for (const auto& [code, n] : by_code) confusion[cls][code] += n;
    for (const auto& [cls, by_fact] : other.measured)
      for (const auto& [name, values] : by_fact)
        measured[cls][name].insert(measured[cls][name].end(), values.begin(), values.end());
  }
};

// Scores one seeded set of the group's families into `t`.
void score_set(const kyc::engine::CompiledPolicy& policy, const Group& group, uint64_t seed,
               Tally& t) {
  const auto fixtures = kyc::fixtures::fixture_set(
      seed, {.per_class = kPerClass,
             .families = std::vector<DesignFamily>(group.families.begin(), group.families.end())});
  ASSERT_GE(fixtures.size(), static_cast<size_t>(12 * kPerClass));  // 14 classes, some may drop
  for (const auto& f : fixtures) {
    const std::string cls(kyc::fixtures::defect_name(f.defect));
    const std::string family(kyc::fixtures::design_family_name(f.family));
    Judged judged = judge(policy, f.bytes);
    for (const char* name : {"image.blur", "image.brightness", "image.glare", "image.shadow",
                             "image.screen", "image.copy"})
      if (auto* v = judged.facts.if_contains(name))
        t.measured[cls][name].push_back(v->to_number<double>());
    const std::set<std::string>& got = judged.codes;
    std::set<std::string> want(f.expected_codes.begin(), f.expected_codes.end());
    if (facts_out) {
      boost::json::array expected;
      for (const auto& code : f.expected_codes) expected.emplace_back(code);
      boost::json::object line{
          {"group", group.name},  {"family", family},     {"camera", f.camera},
          {"surface", f.surface}, {"seed", seed},         {"name", f.name},
          {"class", cls},         {"expected", expected}, {"facts", judged.facts}};
      std::fprintf(facts_out, "%s\n", boost::json::serialize(line).c_str());
    }
    bool any_image_reason = false;
    for (const auto& code : kImageReasons) {
      const bool g = got.count(code), w = want.count(code);
      any_image_reason |= g;
      const Counts c{g && w, g && !w, !g && w};
      t.counts[code].add(c);
      t.by_family[family][code].add(c);
      if (g) ++t.confusion[cls][code];
      if (g != w)
        t.misses.push_back(std::to_string(seed) + "/" + family + "/" + f.name +
                           (g ? ": fired " : ": missed ") + code + " (" + f.camera + ", " +
                           f.description + ") " + judged.summary);
    }
    if (f.defect == kyc::fixtures::Defect::Clean) {
      const CleanPass c{1, any_image_reason ? 0 : 1};
      t.clean.add(c);
      t.clean_by_family[family].add(c);
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
  std::printf("clean photos passing every image check: %d of %d (%.1f%%)\n", t.clean.passed,
              t.clean.clean, 100.0 * t.clean.passed / std::max(1, t.clean.clean));
}

// Per family: the clean photos that pass, and each reason's precision / recall.
void print_families(const Tally& t) {
  std::printf("%-17s %13s", "family", "clean pass");
  for (const auto& code : kImageReasons) {
    const std::string name = code.substr(code.find('_') + 1);  // IMAGE_, DOC_
    std::printf(" %13.13s", name.c_str());
  }
  std::printf("\n");
  for (const auto& [family, by_code] : t.by_family) {
    const auto clean = t.clean_by_family.find(family);
    const CleanPass c = clean == t.clean_by_family.end() ? CleanPass{} : clean->second;
    std::printf("%-17s %4d/%-3d %3.0f%%", family.c_str(), c.passed, c.clean,
                100.0 * c.passed / std::max(1, c.clean));
    for (const auto& code : kImageReasons) {
      const Counts& n = by_code.at(code);
      std::printf("   %.2f / %.2f", n.precision(), n.recall());
    }
    std::printf("\n");
  }
  std::printf("(per reason: precision / recall)\n");
}

void print_diagnostics(const Tally& t) {
  std::printf("\nmisses:\n");
  for (const auto& m : t.misses) std::printf("  %s\n", m.c_str());
  std::printf("\nwhat fired, per class:\n");
  for (const auto& [cls, fired_codes] : t.confusion) {
    std::printf("  %-13s", cls.c_str());
    for (const auto& [code, n] : fired_codes) std::printf(" %s:%d", code.c_str(), n);
    std::printf("\n");
  }
  std::printf("\nmeasured values per class (min / median / max):\n");
  for (const auto& [cls, by_fact] : t.measured) {
    std::printf("  %s\n", cls.c_str());
    for (auto [name, values] : by_fact) {
      std::sort(values.begin(), values.end());
      std::printf("    %-18s %10.3f %10.3f %10.3f\n", name.c_str(), values.front(),
                  values[values.size() / 2], values.back());
    }
  }
}

std::string family_list(std::span<const DesignFamily> families) {
  std::string out;
  for (const DesignFamily f : families)
    out += (out.empty() ? "" : ", ") + std::string(kyc::fixtures::design_family_name(f));
  return out;
}

// Scores the group's sets from `first_seed` on, printing each set's table and the pooled one.
Tally score_group(const kyc::engine::CompiledPolicy& policy, const Group& group,
                  uint64_t first_seed) {
  const auto start = std::chrono::steady_clock::now();
  std::printf("\n==== %s families (%s) ====\n", group.name, family_list(group.families).c_str());
  Tally pooled;
  for (int i = 0; i < group.sets; ++i) {
    const uint64_t seed = first_seed + static_cast<uint64_t>(i);
    Tally one;
    score_set(policy, group, seed, one);
    std::printf("\n%s, set %d of %d: seed %llu, %d photos per class\n", group.name, i + 1,
                group.sets, static_cast<unsigned long long>(seed), kPerClass);
    print_table(one);
    pooled.add(one);
  }
  const double minutes =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / 60;
  std::printf(
      "\n%s families: image reasons over all %d sets (%d photos per class each, seeds "
      "%llu-%llu; %.1f min)\n",
      group.name, group.sets, kPerClass, static_cast<unsigned long long>(first_seed),
      static_cast<unsigned long long>(first_seed + group.sets - 1), minutes);
  print_table(pooled);
  std::printf("\n%s families, one by one:\n", group.name);
  print_families(pooled);
  if (group.show_misses) {
    print_diagnostics(pooled);
  } else {
    std::printf(
        "\n(%s misses and measured values are not printed: tune on the tuning "
        "families only)\n",
        group.name);
  }
  return pooled;
}

// Issues 5 and 17: each image reason at least 0.9 precision and 0.9 recall, and at least 95%
// of clean photos passing.
void expect_goals(const std::map<std::string, Counts>& counts, const CleanPass& clean,
                  const std::string& what) {
  for (const auto& code : kImageReasons) {
    auto it = counts.find(code);
    ASSERT_NE(it, counts.end()) << what << " " << code;
    EXPECT_GE(it->second.precision(), 0.9) << what << " " << code;
    EXPECT_GE(it->second.recall(), 0.9) << what << " " << code;
  }
  EXPECT_GE(clean.passed, clean.clean * 95 / 100) << what;
}

void expect_floors(const Tally& pooled, const Floors& floors, const std::string& what) {
  for (const auto& [code, floor] : floors.reasons) {
    EXPECT_GE(pooled.counts.at(code).precision(), floor.first) << what << " " << code;
    EXPECT_GE(pooled.counts.at(code).recall(), floor.second) << what << " " << code;
  }
  EXPECT_GE(pooled.clean.passed, floors.clean_share * pooled.clean.clean) << what;
}

}  // namespace

TEST(ImageAccuracy, EachImageReasonReachesNinetyPercentPrecisionAndRecall) {
  auto loaded = kyc::dsl::load_policy_file(KYC_SOURCE_DIR "/policies/kyc.policy");
  ASSERT_TRUE(loaded.ok()) << loaded.report();
  // KYC_ACCURACY_SEED draws other sets, to check that a change is not fitted to these. Both
  // groups use the same seeds; each family draws its photos from its own stream.
  const char* seed_text = std::getenv("KYC_ACCURACY_SEED");
  const uint64_t first_seed = seed_text ? std::strtoull(seed_text, nullptr, 10) : 20261127;
  const char* facts_path = std::getenv("KYC_ACCURACY_FACTS");
  if (facts_path) facts_out = std::fopen(facts_path, "w");

  const Group tuning{"tuning", kyc::fixtures::tuning_families(), kTuningSets, true};
  const Group held_out{"held_out", kyc::fixtures::held_out_families(), kHeldOutSets, false};
  const Tally tuned = score_group(*loaded.compiled, tuning, first_seed);
  const Tally unseen = score_group(*loaded.compiled, held_out, first_seed);
  if (facts_out) {
    std::fclose(facts_out);
    facts_out = nullptr;
  }

  if (!kAssertFigures) return;
  expect_goals(tuned.by_family.at(kGoalFamily), tuned.clean_by_family.at(kGoalFamily),
               std::string("family ") + kGoalFamily + ":");
  expect_floors(tuned, kTuningFloors, "tuning families (regression floor):");
  if (kAssertHeldOut) {
    expect_goals(unseen.counts, unseen.clean, "held-out families:");
  } else {
    expect_floors(unseen, kHeldOutFloors, "held-out families (regression floor):");
  }
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
    std::set<std::string> got = judge(*loaded.compiled, bytes).codes;
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
