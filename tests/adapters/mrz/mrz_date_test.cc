#include "adapters/mrz/mrz_date.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "common/civil_date.h"

using namespace kyc::text;
using kyc::common::format_date;
using kyc::common::parse_date;

namespace {

std::string birth(const char* yymmdd, const char* evaluated) {
  auto day = resolve_birth_date(yymmdd, *kyc::common::parse_date(evaluated));
  return day ? kyc::common::format_date(*day) : "none";
}

std::string expiry(const char* yymmdd, const char* evaluated) {
  auto day = resolve_expiry_date(yymmdd, *kyc::common::parse_date(evaluated));
  return day ? kyc::common::format_date(*day) : "none";
}

TEST(MrzDate, BirthDateIsNeverInTheFuture) {
  EXPECT_EQ(birth("740812", "2025-06-01"), "1974-08-12");
  EXPECT_EQ(birth("250601", "2025-06-01"), "2025-06-01");  // born today
  EXPECT_EQ(birth("250602", "2025-06-01"), "1925-06-02");
  EXPECT_EQ(birth("000101", "2025-06-01"), "2000-01-01");
  EXPECT_EQ(birth("991231", "2000-01-01"), "1999-12-31");
}

TEST(MrzDate, ExpiryDateWithinEightyYearsBackAndTwentyAhead) {
  EXPECT_EQ(expiry("120415", "2025-06-01"), "2012-04-15");
  EXPECT_EQ(expiry("950712", "2025-06-01"), "1995-07-12");
  EXPECT_EQ(expiry("450601", "2025-06-01"), "2045-06-01");  // the last day of the window
  EXPECT_EQ(expiry("450602", "2025-06-01"), "1945-06-02");  // the first
  EXPECT_EQ(expiry("050101", "2095-06-01"), "2105-01-01");  // across a century
  EXPECT_EQ(expiry("990101", "2005-06-01"), "1999-01-01");
}

TEST(MrzDate, LeapDays) {
  EXPECT_EQ(birth("000229", "2025-06-01"), "2000-02-29");
  EXPECT_EQ(birth("960229", "2025-06-01"), "1996-02-29");
  EXPECT_EQ(birth("010229", "2025-06-01"), "none");
  // Evaluated on 29 February, the window ends on 28 February of a common year.
  EXPECT_EQ(expiry("000228", "2080-02-29"), "2100-02-28");
  EXPECT_EQ(expiry("240229", "2024-02-29"), "2024-02-29");
}

TEST(MrzDate, ImpossibleOrUnreadableDates) {
  for (const char* bad : {"991301", "990230", "990431", "990000", "990100", "99010A", "9901",
                          "9901011", "<<<<<<", ""}) {
    EXPECT_EQ(birth(bad, "2025-06-01"), "none") << bad;
    EXPECT_EQ(expiry(bad, "2025-06-01"), "none") << bad;
  }
}

}  // namespace
