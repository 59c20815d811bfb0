// Calendar durations and ages (issue 18, item 1): `N years` and `N months` move a date by
// whole calendar months, clamped to the month's last day; age(birth, on) counts whole years;
// year(), month(), day() take a date apart; a calendar duration never compares with a day
// count.
#include <gtest/gtest.h>

#include "common/civil_date.h"
#include "tests/test_support.h"

using namespace kyc;
using kyc::test_support::codes;
using kyc::test_support::decide;
using kyc::test_support::load_ok;

namespace {

const char* kHeader = R"(policy "t" {
  version "1"
  locales en
  on missing review
}
facts {
  birth : date
  today : date
}
)";

std::string reason(const std::string& code, const std::string& when) {
  return "reason " + code + " {\n  outcome reject\n  when " + when +
         "\n  message en { title \"t\" detail \"d\" action \"a\" }\n}\n";
}

int32_t day(const char* text) { return *common::parse_date(text); }

// Whether `when` holds for these dates.
bool holds(const std::string& when, const std::string& birth, const std::string& today) {
  auto loaded = load_ok(std::string(kHeader) + reason("R", when));
  if (!loaded.ok()) return false;
  auto d = decide(*loaded.compiled,
                  R"({"birth": ")" + birth + R"(", "today": ")" + today + R"("})");
  return codes(d) == "R";
}

std::string load_errors(const std::string& when) {
  return dsl::load_policy("test.policy", std::string(kHeader) + reason("R", when)).report();
}

}  // namespace

TEST(Calendar, AddingMonthsClampsToTheMonthsLastDay) {
  EXPECT_EQ(common::add_months(day("2024-02-29"), 12), day("2025-02-28"));
  EXPECT_EQ(common::add_months(day("2024-01-31"), 1), day("2024-02-29"));
  EXPECT_EQ(common::add_months(day("2023-01-31"), 1), day("2023-02-28"));
  EXPECT_EQ(common::add_months(day("2024-03-31"), -1), day("2024-02-29"));
  EXPECT_EQ(common::add_months(day("2020-06-15"), 18 * 12), day("2038-06-15"));
  // Far past the calendar's range: kept at its edge, not wrapped round.
  EXPECT_GT(common::add_months(day("2020-06-15"), 1'000'000), day("9999-12-31"));
  EXPECT_LT(common::add_months(day("2020-06-15"), -1'000'000), day("0000-01-01"));
}

TEST(Calendar, AgeIsTheLargestWholeNumberOfYearsReached) {
  // Born on 29 February: 18 on the 28th in a year without one.
  EXPECT_EQ(common::whole_years_between(day("2008-02-29"), day("2026-02-27")), 17);
  EXPECT_EQ(common::whole_years_between(day("2008-02-29"), day("2026-02-28")), 18);
  EXPECT_EQ(common::whole_years_between(day("2008-03-01"), day("2026-02-28")), 17);
  EXPECT_EQ(common::whole_years_between(day("2008-03-01"), day("2026-03-01")), 18);
  EXPECT_EQ(common::whole_years_between(day("2000-01-01"), day("2000-01-01")), 0);
  EXPECT_EQ(common::whole_years_between(day("2010-05-05"), day("2009-05-06")), 0);
  EXPECT_EQ(common::whole_years_between(day("2010-05-05"), day("2009-05-05")), -1);
}

TEST(Calendar, YearsAndMonthsInThePolicyLanguage) {
  EXPECT_TRUE(holds("birth + 18 years > today", "2008-02-29", "2026-02-27"));
  EXPECT_FALSE(holds("birth + 18 years > today", "2008-02-29", "2026-02-28"));
  EXPECT_TRUE(holds("today - 6 months < birth", "2024-01-01", "2024-06-30"));
  EXPECT_FALSE(holds("today - 6 months < birth", "2024-01-01", "2024-07-01"));
  EXPECT_TRUE(holds("birth + 1 year + 1 month == today", "2024-01-31", "2025-02-28"));
  EXPECT_TRUE(holds("2 years > 23 months", "2024-01-01", "2024-01-01"));
  EXPECT_TRUE(holds("birth + 1000000 months + 1000000 months > today", "2024-01-01",
                    "2024-01-01"));
}

TEST(Calendar, AgeAndDatePartsInThePolicyLanguage) {
  EXPECT_TRUE(holds("age(birth, today) < 18", "2008-02-29", "2026-02-27"));
  EXPECT_FALSE(holds("age(birth, today) < 18", "2008-02-29", "2026-02-28"));
  EXPECT_TRUE(holds("year(birth) == 1984 and month(birth) == 6 and day(birth) == 7",
                    "1984-06-07", "2026-01-01"));
}

TEST(Calendar, ADayCountComparedWithYearsIsALoadErrorThatSaysHowToWriteIt) {
  std::string report = load_errors("days_between(birth, today) < 18 years");
  EXPECT_NE(report.find("cannot compare int with calendar duration"), std::string::npos)
      << report;
  EXPECT_NE(report.find("age(birth, today) >= 18"), std::string::npos) << report;
  report = load_errors("today - birth < 18 years");
  EXPECT_NE(report.find("cannot compare duration with calendar duration"), std::string::npos)
      << report;
  report = load_errors("birth + 18 years + 3 days < today");
  EXPECT_TRUE(report.empty()) << report;
}
