// KYC_DATA_MISMATCH on names, through the shipped policy and its MIN_NAME_SIMILARITY: a real
// difference fires it; case, accents (ICAO 9303 transliteration), order of given names and a
// missing middle name do not. Each row: primary-KYC name, name on the document, mismatch?
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "engine/builtins.h"
#include "tests/test_support.h"

using namespace kyc;

namespace {

struct NamePair {
  const char* primary;
  const char* document;
  bool mismatch;
};

constexpr NamePair kPairs[] = {
    // Same person, written differently.
    {"Anna Maria Müller", "MUELLER ANNA MARIA", false},
    {"anna maria mueller", "MÜLLER ANNA MARIA", false},
    {"Jürgen Weiß", "JUERGEN WEISS", false},
    {"Søren Østergaard", "SOEREN OESTERGAARD", false},
    {"Åsa Ångström", "AASA AANGSTROEM", false},
    {"José Ñúñez", "JOSE NUNEZ", false},
    {"François Lefèvre", "FRANCOIS LEFEVRE", false},
    {"Zoë Brontë", "ZOE BRONTE", false},
    {"Łukasz Żółć", "LUKASZ ZOLC", false},
    {"Ğülşen Çelik", "GULSEN CELIK", false},
    {"Maria Garcia", "GARCIA MARIA", false},
    {"Smith, John", "JOHN SMITH", false},
    {"John Paul Smith", "SMITH JOHN", false},                // missing middle name
    {"Anna Smith", "SMITH ANNA MARIA", false},               // middle name only on the document
    {"Mary-Jane O'Neil", "ONEIL MARY JANE", false},          // punctuation
    {"Jean  Pierre   Dupont", "DUPONT JEAN PIERRE", false},  // repeated spaces
    {"van der Berg Jan", "JAN VAN DER BERG", false},         // particles, token order
    {"Jon Smith", "JOHN SMITH", false},                      // one-letter spelling variant
    {"Catherine Zeta", "CATHERINE ZETA", false},
    {"ERIKSSON<<ANNA<MARIA", "Anna Maria Eriksson", false},  // MRZ form
    {"Björn Borg", "BJOERN BORG", false},
    {"Muhammad Ali Khan", "KHAN MUHAMMAD ALI", false},
    // Different people.
    {"John Smith", "MARIA GARCIA", true},
    {"John Smith", "JOHN BROWN", true},   // other surname
    {"John Smith", "PETER SMITH", true},  // other given name
    {"Anna Müller", "ANNA SCHMIDT", true},
    {"Li Wei", "WANG FANG", true},
    {"Olga Petrova", "IVAN PETROV", true},
    {"Ahmed Hassan", "HASSAN MAHMOUD", true},
    {"Emma Johnson", "EMILY JOHNSTON", true},
    {"Carlos Mendes", "CARLA MENDES SILVA", true},
    {"Sophie Martin", "MARTIN DUBOIS", true},
    {"Alexander Ivanov", "ALEXEI SMIRNOV", true},
    {"Nguyen Van An", "TRAN THI BINH", true},
};

class NameMatching : public ::testing::TestWithParam<NamePair> {
 protected:
  static void SetUpTestSuite() {
    policy_ = new dsl::LoadedPolicy(dsl::load_policy_file(KYC_SOURCE_DIR "/policies/kyc.policy"));
    ASSERT_TRUE(policy_->ok()) << policy_->report();
  }
  static dsl::LoadedPolicy* policy_;
};
dsl::LoadedPolicy* NameMatching::policy_ = nullptr;

TEST_P(NameMatching, MismatchFiresOnlyOnARealDifference) {
  const NamePair& p = GetParam();
  // Everything else on the submission is clean, so only the names can fire the reason.
  boost::json::object facts{{"file.format", "jpeg"},
                            {"file.bytes", 100000},
                            {"image.blur", 400.0},
                            {"image.glare", 0.0},
                            {"image.brightness", 130},
                            {"image.shadow", 0.05},
                            {"image.screen", 0.05},
                            {"image.copy", 0.05},
                            {"document.detected", true},
                            {"document.cut_off", false},
                            {"document.type", "passport"},
                            {"document.type_declared", "passport"},
                            {"document.name", p.document},
                            {"primary.name", p.primary},
                            {"document.expiry", "2031-01-01"},
                            {"ocr.name_visible", true},
                            {"ocr.number_visible", true},
                            {"ocr.confidence", 0.9},
                            {"mrz.present", true},
                            {"mrz.valid", true},
                            {"account.document_accounts", 0},
                            {"account.failed_attempts", 0},
                            {"today", "2026-01-01"}};
  auto d = test_support::decide(*policy_->compiled, boost::json::serialize(facts));
  bool fired = test_support::codes(d).find("KYC_DATA_MISMATCH") != std::string::npos;
  EXPECT_EQ(fired, p.mismatch) << p.primary << " vs " << p.document << ": similarity "
                               << engine::name_similarity(p.primary, p.document)
                               << ", fired: " << test_support::codes(d);
  if (p.mismatch) {
    // The evidence names both names, so a reviewer sees what differed.
    ASSERT_FALSE(d.reasons.empty());
    std::string evidence = engine::decision_json(d);
    EXPECT_NE(evidence.find(p.document), std::string::npos) << evidence;
  }
}

std::string row_name(const ::testing::TestParamInfo<NamePair>& info) {
  return (info.param.mismatch ? "different_" : "same_") + std::to_string(info.index);
}

INSTANTIATE_TEST_SUITE_P(Pairs, NameMatching, ::testing::ValuesIn(kPairs), row_name);

TEST(NameMatchingTable, HasAtLeastThirtyPairsOfBothKinds) {
  int same = 0, different = 0;
  for (const auto& p : kPairs) (p.mismatch ? different : same)++;
  EXPECT_GE(same + different, 30);
  EXPECT_GE(same, 10);
  EXPECT_GE(different, 10);
}

}  // namespace
