// The catalogue of facts (`kyc facts`, docs/facts.md) against the shipped policies (kyc.policy
// and the examples): every fact they declare is catalogued with the same type, so the docs
// cannot drift from what the policies read. The adapters are held to it in
// tests/adapters/photos/catalogued_facts_test.cc.
#include "service/facts_catalogue.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>

#include "dsl/policy_loader.h"
#include "engine/types.h"

namespace kyc::service {
namespace {

TEST(FactsCatalogue, NamesAreUniqueAndTypesArePolicyTypes) {
  std::set<std::string_view> names;
  const std::set<std::string_view> types = {"bool", "int", "number", "string", "date"};
  for (const auto& f : facts_catalogue()) {
    EXPECT_TRUE(names.insert(f.name).second) << f.name << " is catalogued twice";
    EXPECT_TRUE(types.count(f.type)) << f.name << ": " << f.type;
    EXPECT_FALSE(f.source.empty()) << f.name;
    EXPECT_FALSE(f.meaning.empty()) << f.name;
  }
}

TEST(FactsCatalogue, EveryFactTheShippedPoliciesDeclareIsCataloguedWithItsType) {
  int policies = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(KYC_SOURCE_DIR "/policies")) {
    if (entry.path().extension() != ".policy") continue;
    ++policies;
    auto loaded = dsl::load_policy_file(entry.path().string());
    ASSERT_TRUE(loaded.ok()) << loaded.report();
    const engine::FactSchema& schema = loaded.compiled->schema;
    for (uint32_t slot = 0; slot < schema.size(); ++slot) {
      const engine::FactSlot& declared = schema.slot(slot);
      const CataloguedFact* f = find_catalogued_fact(declared.name);
      ASSERT_NE(f, nullptr) << entry.path() << ": " << declared.name
                            << " is declared but not catalogued";
      EXPECT_EQ(f->type, engine::type_name(declared.type)) << entry.path() << ": " << declared.name;
    }
  }
  EXPECT_GE(policies, 1);  // kyc.policy, and the examples beside it
}

TEST(FactsCatalogue, TheBackPhotoHasTheImageFactsOnly) {
  ASSERT_NE(find_catalogued_fact("image.glare"), nullptr);
  EXPECT_EQ(find_catalogued_fact("back.image.glare"), find_catalogued_fact("image.glare"));
  ASSERT_NE(find_catalogued_fact("document.number"), nullptr);
  EXPECT_EQ(find_catalogued_fact("back.document.number"), nullptr);
  EXPECT_EQ(find_catalogued_fact("document.colour"), nullptr);
}

}  // namespace
}  // namespace kyc::service
