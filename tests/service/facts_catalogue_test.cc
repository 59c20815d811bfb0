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
#include "service/declared_facts.h"

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

TEST(FactsCatalogue, AFactDeclaredWithAnotherTypeThanKycdGivesDoesNotLoad) {
  // `image.glare : int` passed check, validate and deploy; then every upload got 422 "expected
  // int, got a number" (probe, stop 48).
  auto policy = [](const std::string& facts) {
    auto loaded = dsl::load_policy(
        "t.policy", "policy \"t\" {\n  version \"1\"\n  locales en\n}\nfacts {\n" + facts +
                        "}\nreason R {\n  outcome reject\n  when image.glare > 1\n"
                        "  message en { title \"t\" detail \"d\" action \"a\" }\n}\n");
    hold_to_catalogue(loaded);
    return loaded;
  };
  auto wrong = policy("  image.glare : int\n");
  EXPECT_FALSE(wrong.ok());
  EXPECT_NE(wrong.report().find("t.policy:6:3: error: image.glare is declared int, but kycd gives "
                                "it as number (image adapter, kyc facts): declare it number"),
            std::string::npos)
      << wrong.report();
  // An int fact may be declared number; a fact kycd does not give is the caller's to type.
  auto widened = policy(
      "  image.glare : number\n  account.document_accounts : number\n"
      "  risk.score : int\n");
  EXPECT_TRUE(widened.ok()) << widened.report();
  auto narrowed = policy("  image.glare : number\n  document.detected : string\n");
  EXPECT_FALSE(narrowed.ok());
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
