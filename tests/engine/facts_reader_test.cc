#include "engine/json/facts_reader.h"

#include <gtest/gtest.h>

#include "common/civil_date.h"
#include "common/json_text.h"
#include "engine/json/facts_json.h"
#include "tests/test_support.h"

using namespace kyc;

namespace {

const char* kPolicy = R"(policy "t" {
  version "1"
  locales en
}
facts {
  document.expiry : date
  document.type : string
  image.blur : number
  file.bytes : int
  document.cut_off : bool
  tags : [string]
}
reason R {
  outcome review
  when document.expiry is missing and document.type is missing and image.blur is missing and file.bytes is missing and document.cut_off is missing and len(tags) > 0
  message en { title "t" detail "d" action "a" }
}
)";

struct Read {
  dsl::LoadedPolicy policy = test_support::load_ok(kPolicy);
  engine::FactFrame frame{policy.compiled->schema};
  engine::FactsResult run(const std::string& json, bool strict = false) {
    engine::FactsOptions o;
    o.strict = strict;
    return engine::parse_facts(json, frame, o);
  }
  const engine::Value& get(const char* name) {
    return frame.get(*policy.compiled->schema.find(name));
  }
};

}  // namespace

TEST(FactsReader, NestedAndDottedKeysInOneDocument) {
  Read r;
  auto res = r.run(R"({"document": {"expiry": "2025-01-31", "type": "passport"}, "image.blur": 12.5,
                       "file": {"bytes": 1024}, "document.cut_off": false, "tags": ["a", "b"]})");
  ASSERT_TRUE(res.ok()) << res.errors[0].message;
  EXPECT_EQ(common::format_date(r.get("document.expiry").days), "2025-01-31");
  EXPECT_EQ(r.get("document.type").str(), "passport");
  EXPECT_EQ(r.get("image.blur").d, 12.5);
  EXPECT_EQ(r.get("file.bytes").i, 1024);
  EXPECT_FALSE(r.get("document.cut_off").b);
  EXPECT_EQ(r.get("tags").len, 2u);
}

TEST(FactsReader, IntegersAreAcceptedAsNumbersButNotTheOtherWay) {
  Read r;
  EXPECT_TRUE(r.run(R"({"image": {"blur": 12}})").ok());
  EXPECT_EQ(r.get("image.blur").d, 12.0);
  auto res = r.run(R"({"file": {"bytes": 1.5}})");
  ASSERT_EQ(res.errors.size(), 1u);
  EXPECT_EQ(res.errors[0].path, "file.bytes");
  EXPECT_EQ(res.errors[0].message, "expected int, got a number");
}

TEST(FactsReader, NullMeansMissing) {
  Read r;
  ASSERT_TRUE(r.run(R"({"document.type": null})").ok());
  EXPECT_TRUE(r.get("document.type").is_missing());
}

TEST(FactsReader, WrongTypesNameThePathAndTheExpectedType) {
  Read r;
  auto res = r.run(
      R"({"document": {"expiry": "31/01/2025", "type": 7}, "document.cut_off": "no", "tags": ["a", 1]})");
  ASSERT_EQ(res.errors.size(), 4u);
  EXPECT_EQ(res.errors[0].path, "document.expiry");
  EXPECT_EQ(res.errors[0].message, "expected a date as \"YYYY-MM-DD\", got \"31/01/2025\"");
  EXPECT_EQ(res.errors[1].path, "document.type");
  EXPECT_EQ(res.errors[1].message, "expected string, got an integer");
  EXPECT_EQ(res.errors[2].path, "document.cut_off");
  EXPECT_EQ(res.errors[3].path, "tags[1]");
}

TEST(FactsReader, ImpossibleDatesAreRejected) {
  Read r;
  auto res = r.run(R"({"document.expiry": "2023-02-29"})");
  ASSERT_FALSE(res.ok());
  // Written as asked: the message says what is wrong with it, not its format again.
  EXPECT_EQ(res.errors[0].message, "\"2023-02-29\" is no day of the calendar");
  EXPECT_TRUE(r.run(R"({"document.expiry": "2024-02-29"})").ok());
}

TEST(FactsReader, ADurationPastThirtyTwoBitsIsRefusedNotCut) {
  // Cut to 32 bits, -4294967200 days read as 96, and `validity < 30 days` let it pass.
  auto loaded = test_support::load_ok(R"(policy "t" {
  version "1"
  locales en
}
facts {
  validity : duration
}
reason SHORT {
  outcome reject
  when validity < 30 days
  message en { title "t" detail "d" action "a" }
}
)");
  engine::FactFrame frame{loaded.compiled->schema};
  for (const char* days :
       {"-4294967200", "4294967306", "9223372036854775807", "18446744073709551615"}) {
    auto res = engine::parse_facts(std::string("{\"validity\": ") + days + "}", frame);
    ASSERT_EQ(res.errors.size(), 1u) << days;
    EXPECT_EQ(res.errors[0].path, "validity");
    EXPECT_NE(res.errors[0].message.find("between -2147483648 and 2147483647"), std::string::npos)
        << res.errors[0].message;
  }
  EXPECT_EQ(test_support::codes(test_support::decide(*loaded.compiled, R"({"validity": 29})")),
            "SHORT");
}

TEST(FactsReader, UnknownKeysAreReportedOrRejectedWhenStrict) {
  Read r;
  auto res = r.run(R"({"document": {"colour": "red"}, "extra": 1})");
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res.ignored, (std::vector<std::string>{"document.colour", "extra"}));
  Read strict;
  auto s = strict.run(R"({"extra": 1})", true);
  ASSERT_EQ(s.errors.size(), 1u);
  EXPECT_EQ(s.errors[0].path, "extra");
}

TEST(FactsReader, WithheldFactsAreNotTakenAndAreListed) {
  // The facts the service owns, sent by a caller without the admin role, dotted or nested.
  auto policy = test_support::load_ok(R"(policy "t" {
  version "1"
  locales en
}
facts {
  account.document_accounts : int
  primary.document_matches : bool?
  today : date
  document.type : string
}
reason R {
  outcome reject
  when account.document_accounts >= 1 or primary.document_matches == false or today > 2020-01-01 or document.type == "x"
  message en { title "t" detail "d" action "a" }
}
)");
  engine::FactFrame frame(policy.compiled->schema);
  engine::FactsOptions o;
  o.withheld = &engine::service_owned;
  auto res = engine::parse_facts(R"({"account": {"document_accounts": 0},
                                     "primary.document_matches": true, "today": "2020-01-01",
                                     "document.type": "passport"})",
                                 frame, o);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res.ignored, (std::vector<std::string>{"account.document_accounts",
                                                   "primary.document_matches", "today"}));
  const auto& schema = policy.compiled->schema;
  EXPECT_FALSE(frame.has(*schema.find("account.document_accounts")));
  EXPECT_FALSE(frame.has(*schema.find("primary.document_matches")));
  EXPECT_FALSE(frame.has(*schema.find("today")));
  EXPECT_TRUE(frame.has(*schema.find("document.type")));
  // Without the option (an admin), the same facts are taken.
  engine::FactFrame admin(schema);
  ASSERT_TRUE(engine::parse_facts(R"({"account": {"document_accounts": 0}})", admin).ok());
  EXPECT_TRUE(admin.has(*schema.find("account.document_accounts")));
}

TEST(FactsReader, SameFactNestedAndDottedIsAnError) {
  Read r;
  auto res = r.run(R"({"document": {"type": "passport"}, "document.type": "id_card"})");
  ASSERT_EQ(res.errors.size(), 1u);
  EXPECT_EQ(res.errors[0].path, "document.type");
}

TEST(FactsReader, SyntaxErrorsCarryTheByteOffset) {
  Read r;
  auto res = r.run(R"({"file": {"bytes": 12,}})");
  ASSERT_EQ(res.errors.size(), 1u);
  EXPECT_EQ(res.errors[0].offset, 22u);
  EXPECT_NE(res.errors[0].message.find("byte 22"), std::string::npos);
  EXPECT_FALSE(r.run("[1, 2]").ok());
  EXPECT_FALSE(r.run("{} {}").ok());
}

TEST(FactsReader, NonFiniteNumbersAndDeepNestingAreRejected) {
  Read r;
  EXPECT_FALSE(r.run(R"({"image": {"blur": 1e999}})").ok());
  std::string deep(100000, '[');
  EXPECT_FALSE(r.run(deep).ok());
}

// The audit log stores facts_json(frame); replay reads it back and must see the same values.
TEST(FactsJson, ReadsBackToTheSameValues) {
  Read r;
  auto res = r.run(R"({"document": {"expiry": "2025-01-31", "type": "pa\"ss\\port\n\u00e9"},
                       "image.blur": 0.1, "file.bytes": -9007199254740993,
                       "document.cut_off": true, "tags": ["a", "", "\u0001"]})");
  ASSERT_TRUE(res.ok()) << res.errors[0].message;
  std::string text = engine::facts_json(r.frame);
  Read back;
  auto again = back.run(text, true);
  ASSERT_TRUE(again.ok()) << text;
  for (const char* name :
       {"document.expiry", "document.type", "image.blur", "file.bytes", "document.cut_off", "tags"})
    EXPECT_EQ(engine::to_json(r.get(name)), engine::to_json(back.get(name)))
        << name << " in " << text;
  EXPECT_NE(text.find(R"("image.blur":0.1)"), std::string::npos) << text;
}

// The exact bytes: the audit log hashes them, so the escaping must not drift.
TEST(FactsJson, EscapesQuotesBackslashesAndControlBytesOnly) {
  std::string out;
  common::append_json_string(out, "a\"b\\c\n\x01 \xc3\xa9/d");
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\u0001 \xc3\xa9/d\"");
  out.clear();
  common::append_json_string(out, "");
  EXPECT_EQ(out, "\"\"");
}

TEST(FactsJson, LeavesOutMissingFacts) {
  Read r;
  ASSERT_TRUE(r.run(R"({"file": {"bytes": 3}})").ok());
  EXPECT_EQ(engine::facts_json(r.frame), R"({"file.bytes":3})");
}

// format_date writes digits by hand for years 0-9999 and falls back to printf outside them:
// every day of four centuries reads back to itself, and the edges keep their ISO form.
TEST(Dates, EveryDayWritesAndReadsBackTheSame) {
  int32_t from = *common::parse_date("1800-01-01"), to = *common::parse_date("2200-12-31");
  for (int32_t day = from; day <= to; ++day) {
    std::string text = common::format_date(day);
    ASSERT_EQ(text.size(), 10u) << day;
    ASSERT_EQ(common::parse_date(text), day) << text;
  }
  EXPECT_EQ(common::format_date(0), "1970-01-01");
  EXPECT_EQ(common::format_date(*common::parse_date("0001-01-01")), "0001-01-01");
  EXPECT_EQ(common::format_date(*common::parse_date("9999-12-31")), "9999-12-31");
  EXPECT_EQ(common::format_date(*common::parse_date("9999-12-31") + 1), "10000-01-01");
}
