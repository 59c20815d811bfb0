// The catalogue of facts (`kyc facts`, docs/facts.md) against the shipped policy: every fact
// the policy declares is catalogued with the same type, so the docs cannot drift from what the
// policy reads. The adapters are held to it in tests/adapters/photos/catalogued_facts_test.cc.
#include "service/facts_catalogue.h"

#include <gtest/gtest.h>

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

TEST(FactsCatalogue, EveryFactTheShippedPolicyDeclaresIsCataloguedWithItsType) {
  auto loaded = dsl::load_policy_file(KYC_SOURCE_DIR "/policies/kyc.policy");
  ASSERT_TRUE(loaded.ok()) << loaded.report();
  const engine::FactSchema& schema = loaded.compiled->schema;
  ASSERT_GT(schema.size(), 0u);
  for (uint32_t slot = 0; slot < schema.size(); ++slot) {
    const engine::FactSlot& declared = schema.slot(slot);
    const CataloguedFact* f = find_catalogued_fact(declared.name);
    ASSERT_NE(f, nullptr) << declared.name << " is declared by the policy but not catalogued";
    EXPECT_EQ(f->type, engine::type_name(declared.type)) << declared.name;
  }
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
