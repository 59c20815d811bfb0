// The service's own personal facts, and a schema's personal set: a declared fact's marker,
// the service's list for facts it does not declare.
#include "engine/personal_facts.h"

#include <gtest/gtest.h>

#include "engine/fact_schema.h"

using namespace kyc::engine;

TEST(BuiltinPersonal, NamesNumbersDatesNationalitySexAndPhotoHashesOnBothSides) {
  for (const char* name :
       {"document.name", "document.number", "document.birth_date", "document.nationality",
        "document.sex", "primary.name", "primary.birth_date", "primary.document_number",
        "file.sha256", "back.file.sha256", "back.document.number"})
    EXPECT_TRUE(builtin_personal(name)) << name;
  for (const char* name : {"document.expiry", "document.type", "primary.document_matches",
                           "image.blur", "today", "back.", "back.back.file.sha256"})
    EXPECT_FALSE(builtin_personal(name)) << name;
}

TEST(FactSchemaPersonal, DeclaredFactsFollowTheirSlotOthersTheBuiltInList) {
  FactSchema schema;
  schema.add({"employer", {Type::String, Type::Unknown}, false, true});
  schema.add({"document.type", {Type::String, Type::Unknown}, false, false});
  EXPECT_TRUE(schema.is_personal("employer"));
  EXPECT_FALSE(schema.is_personal("document.type"));
  EXPECT_TRUE(schema.is_personal("document.name")) << "undeclared, but the service's own";
  EXPECT_FALSE(schema.is_personal("employee"));
}
