// Personal facts are withheld from texts a backend receives: whole words only, the longest
// value first, either side of the document.
#include "service/personal_facts.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>

using kyc::service::is_personal_fact;
using kyc::service::personal_values;
using kyc::service::withhold;
namespace json = boost::json;

TEST(PersonalFacts, NamesNumbersDatesNationalitySexAndPhotoHashesOnBothSides) {
  for (const char* name : {"document.name", "document.number", "document.birth_date",
                           "document.nationality", "document.sex", "primary.name",
                           "primary.document_number", "file.sha256", "back.file.sha256"})
    EXPECT_TRUE(is_personal_fact(name)) << name;
  for (const char* name : {"document.expiry", "document.type", "image.blur", "today", "back."})
    EXPECT_FALSE(is_personal_fact(name)) << name;
}

TEST(PersonalFacts, ValuesAreWithheldAsWholeWordsLongestFirst) {
  auto facts = boost::json::parse(R"({"document.name":"MUELLER ANNA","primary.name":"ANNA",
      "document.sex":"F","document.number":"X1234567","document.expiry":"2025-06-30"})")
                   .as_object();
  auto values = personal_values(facts);
  EXPECT_EQ(values.size(), 4u);  // the expiry is no personal fact
  EXPECT_EQ(
      withhold("File for MUELLER ANNA (F), number X1234567, expired 2025-06-30; ANNAS", values),
      "File for *** (***), number ***, expired 2025-06-30; ANNAS");
  EXPECT_EQ(withhold("ANNA, ANNA", values), "***, ***");
  EXPECT_EQ(withhold("", values), "");
}

// The policy that made a decision adds the facts it marks `personal` to the service's own.
TEST(PersonalFacts, APolicysMarkedFactsArePersonalToo) {
  kyc::engine::FactSchema schema;
  schema.add({"employer", {kyc::engine::Type::String, kyc::engine::Type::Unknown}, false, true});
  schema.add({"branch", {kyc::engine::Type::String, kyc::engine::Type::Unknown}, false, false});
  EXPECT_TRUE(is_personal_fact("employer", schema));
  EXPECT_FALSE(is_personal_fact("employer")) << "without the policy, only the service's own";
  EXPECT_FALSE(is_personal_fact("branch", schema));
  EXPECT_TRUE(is_personal_fact("back.document.name", schema));
  auto facts =
      json::parse(R"({"employer":"GLOBEX","branch":"Bonn","document.name":"ANNA"})").as_object();
  auto values = personal_values(facts, schema);
  std::sort(values.begin(), values.end());
  EXPECT_EQ(values, (std::vector<std::string>{"ANNA", "GLOBEX"}));
}
