// The `personal` marker: parsed after the type, kept by the formatter, and carried into the
// compiled schema together with the service's own personal facts.
#include <gtest/gtest.h>

#include "dsl/formatter.h"
#include "dsl/parser.h"
#include "dsl/policy_loader.h"

using namespace kyc;

namespace {

const std::string kPolicy = R"(policy "p" {
  version "1"
  locales en
}

facts {
  employer      : string personal
  address.city  : string? personal;
  personal      : bool
  document.name : string?
  document.type : string
}

reason R {
  outcome review
  when personal and employer == "ACME" and address.city == "Bonn" and document.type == "id"
    and document.name is present
  message en {
    title  "t"
    detail "d"
    action "a"
  }
}
)";

}  // namespace

TEST(PersonalMarker, ParsesAfterTheTypeAndItsOptionalMark) {
  dsl::SourceFile file("p.policy", kPolicy);
  dsl::Diagnostics diags;
  auto ast = dsl::parse_policy(file, diags);
  ASSERT_FALSE(diags.has_errors()) << dsl::format_all(file, diags);
  ASSERT_EQ(ast.facts.size(), 5u);
  EXPECT_TRUE(ast.facts[0].personal);
  EXPECT_FALSE(ast.facts[0].optional);
  EXPECT_TRUE(ast.facts[1].personal);
  EXPECT_TRUE(ast.facts[1].optional);
  // A fact may be called `personal`: after a declaration without ';' it is the next name.
  EXPECT_EQ(ast.facts[2].name.text, "personal");
  EXPECT_FALSE(ast.facts[2].personal);
  EXPECT_FALSE(ast.facts[3].personal) << "as written; the schema makes it personal";
}

TEST(PersonalMarker, TheSchemaKnowsMarkedAndBuiltInPersonalFacts) {
  auto loaded = dsl::load_policy("p.policy", kPolicy);
  ASSERT_TRUE(loaded.ok()) << loaded.report();
  const auto& schema = loaded.compiled->schema;
  EXPECT_TRUE(schema.is_personal("employer"));
  EXPECT_TRUE(schema.is_personal("address.city"));
  EXPECT_TRUE(schema.is_personal("document.name")) << "the service's own, declared unmarked";
  EXPECT_TRUE(schema.slot(*schema.find("document.name")).personal);
  EXPECT_FALSE(schema.is_personal("personal"));
  EXPECT_FALSE(schema.is_personal("document.type"));
  // Facts a record holds without the policy declaring them: the service's own list decides.
  EXPECT_TRUE(schema.is_personal("back.document.number"));
  EXPECT_TRUE(schema.is_personal("file.sha256"));
  EXPECT_FALSE(schema.is_personal("image.blur"));
}

TEST(PersonalMarker, TheFormatterKeepsTheMarker) {
  std::string messy =
      "policy \"p\" { version \"1\" locales en }\n"
      "facts { employer:string   personal; city : [string]?personal\n"
      "  age:int }\n";
  std::string want =
      "policy \"p\" {\n  version \"1\"\n  locales en\n}\n\n"
      "facts {\n"
      "  employer : string personal\n"
      "  city     : [string]? personal\n"
      "  age      : int\n"
      "}\n";
  auto format = [](const std::string& text) {
    dsl::SourceFile file("f.policy", text);
    dsl::Diagnostics diags;
    auto ast = dsl::parse_policy(file, diags);
    EXPECT_FALSE(diags.has_errors()) << dsl::format_all(file, diags);
    return dsl::format_policy(ast, file);
  };
  EXPECT_EQ(format(messy), want);
  EXPECT_EQ(format(want), want) << "formatting a formatted policy changes nothing";
}
