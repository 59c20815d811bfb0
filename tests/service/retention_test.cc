// Retention (service/retention.h): the period's text, the cutoff day, and a sweep that erases
// the accounts idle since before the cutoff and the day keys of decisions without an account,
// and nothing else. On the in-memory stores.
#include "service/retention.h"

#include <gtest/gtest.h>

#include "common/civil_date.h"
#include "store/master_key.h"
#include "store/memory/account_keys.h"
#include "store/memory/memory_store.h"
#include "tests/temp_dir.h"

using kyc::service::parse_retention;
using kyc::service::PersonalSeal;
using kyc::service::retention_cutoff;

TEST(Retention, PeriodsAreANumberAndAUnit) {
  EXPECT_EQ(parse_retention("5y")->months, 60);
  EXPECT_EQ(parse_retention("18m")->months, 18);
  EXPECT_EQ(parse_retention("400d")->days, 400);
  EXPECT_TRUE(parse_retention("")->forever());
  for (const char* bad : {"5", "y", "0y", "-1y", "5w", "1.5y", "101y", "5 y", "99999999999d"}) {
    auto p = parse_retention(bad);
    ASSERT_FALSE(p) << bad;
    EXPECT_NE(p.error().message.find(bad), std::string::npos);
  }
}

TEST(Retention, TheCutoffCountsCalendarMonthsAndDays) {
  int32_t today = *kyc::common::parse_date("2026-12-05");
  EXPECT_EQ(retention_cutoff(today, *parse_retention("5y")), "2021-12-05");
  EXPECT_EQ(retention_cutoff(today, *parse_retention("30d")), "2026-11-05");
  EXPECT_EQ(retention_cutoff(*kyc::common::parse_date("2026-03-31"), *parse_retention("1m")),
            "2026-02-28");
}

namespace {

kyc::store::AuditRecord record(const std::string& id, const std::string& account,
                               const std::string& time) {
  kyc::store::AuditRecord r;
  r.decision_id = id;
  r.time = time;
  r.account_id = account;
  r.stage = "evaluate";
  r.facts = "{}";
  r.decision = R"({"outcome":"review"})";
  return r;
}

}  // namespace

TEST(Retention, ASweepErasesIdleAccountsAndOldDaysOnly) {
  kyc::test_support::TempDir dir("kyc-retention");
  kyc::store::memory::MemoryStore log;
  auto key = *kyc::store::DocumentKey::load_or_create(dir.file("doc.key"));
  kyc::store::memory::MemoryAccountKeys keys(std::shared_ptr<const kyc::store::MasterKey>(
      *kyc::store::FileMasterKey::from_bytes(std::string(32, 'm'))));
  PersonalSeal seal(keys, key);
  // idle: its last record is before the cutoff; active: one old record and one recent.
  for (auto [id, account, time] :
       {std::tuple{"1", "idle", "2019-05-01T10:00:00Z"}, {"2", "active", "2019-05-01T10:00:00Z"},
        {"3", "active", "2026-12-01T10:00:00Z"}, {"4", "", "2019-05-02T10:00:00Z"},
        {"5", "", "2026-12-01T10:00:00Z"}}) {
    log.append(record(id, account, time), [](kyc::store::DecisionLog::Commit) {});
    ASSERT_TRUE(keys.data_key(PersonalSeal::holder_of(record(id, account, time)), time));
  }
  // One page at a time: the sweep goes past the first page.
  auto swept = kyc::service::sweep_retention(log, seal, "2021-12-05", "2026-12-05T00:00:00Z", 1);
  ASSERT_TRUE(swept) << swept.error().message;
  EXPECT_EQ(swept->accounts_erased, 1);
  EXPECT_EQ(swept->days_erased, 1);
  using State = kyc::store::DataKeyLookup::State;
  auto state = [&](const std::string& holder) { return keys.find_data_key(holder)->state; };
  EXPECT_EQ(state(PersonalSeal::account_holder("idle")), State::erased);
  EXPECT_EQ(state(PersonalSeal::account_holder("active")), State::present);
  EXPECT_EQ(state(PersonalSeal::day_holder("2019-05-02")), State::erased);
  EXPECT_EQ(state(PersonalSeal::day_holder("2026-12-01")), State::present);
  // Sweeping again finds nothing new.
  swept = kyc::service::sweep_retention(log, seal, "2021-12-05", "2026-12-05T00:00:00Z", 1);
  ASSERT_TRUE(swept);
  EXPECT_EQ(swept->accounts_erased, 0);
  EXPECT_EQ(swept->days_erased, 0);
}
