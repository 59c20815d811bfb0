// The SQLite account store answers a decision's reads in one statement
// (read_for_decision); it must say exactly what the three separate reads say, for accounts
// with and without primary data, attempts and links, and documents linked to other accounts.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "store/sqlite/account_store.h"
#include "store/sqlite/decision_log.h"
#include "tests/temp_dir.h"

namespace fs = std::filesystem;
using kyc::store::AccountReading;
using kyc::store::AccountStore;
using kyc::store::AuditRecord;
using Commit = kyc::store::DecisionLog::Commit;

namespace {

using kyc::test_support::TempDir;

// An approval links `document` (already linked to `seen` other accounts) to the account; any
// other outcome counts a failed attempt.
AuditRecord decision(int i, const std::string& account, const std::string& document,
                     bool approve, int64_t seen = 0) {
  AuditRecord r;
  r.decision_id = "D" + std::to_string(i);
  r.time = "2026-12-05T00:00:00Z";
  r.account_id = account;
  r.stage = "evaluate";
  r.facts = "{}";
  r.today = "2026-12-05";
  r.policy_sha256 = std::string(64, 'a');
  r.decision = approve ? R"({"outcome":"approve"})" : R"({"outcome":"resubmit"})";
  if (approve) r.link = AuditRecord::DocumentLink{document, seen};
  r.failed_attempt = !approve;
  return r;
}

void expect_same(const AccountReading& one, const AccountReading& three, const std::string& what) {
  SCOPED_TRACE(what);
  EXPECT_EQ(one.other_accounts, three.other_accounts);
  EXPECT_EQ(one.failed_attempts, three.failed_attempts);
  ASSERT_EQ(one.primary.has_value(), three.primary.has_value());
  if (one.primary) {
    EXPECT_EQ(one.primary->account_id, three.primary->account_id);
    EXPECT_EQ(one.primary->full_name, three.primary->full_name);
    EXPECT_EQ(one.primary->birth_date, three.primary->birth_date);
    EXPECT_EQ(one.primary->country, three.primary->country);
    EXPECT_EQ(one.primary->document_type, three.primary->document_type);
    EXPECT_EQ(one.primary->document_hash, three.primary->document_hash);
  }
}

}  // namespace

TEST(SqliteAccountReading, OneStatementSaysWhatTheThreeReadsSay) {
  TempDir dir;
  std::string db = (dir.path / "audit.db").string();
  auto log = kyc::store::sqlite::SqliteDecisionLog::open(db, {});
  ASSERT_TRUE(log) << log.error().message;
  auto store = kyc::store::sqlite::SqliteAccountStore::open(db, std::chrono::milliseconds(5000));
  ASSERT_TRUE(store) << store.error().message;
  ASSERT_TRUE((*store)->set_primary_batch(
      {{"a1", "ANNA MUSTER", "1990-01-02", "DEU", "passport", "hash-a1"},
       {"a2", "BEN MUSTER", "1985-03-04", "AUT", "id_card", "hash-doc"}},
      "2026-12-05T00:00:00Z"));

  // doc: linked to a2 and a3 by approvals; a1 failed twice; a4 has nothing at all.
  const AuditRecord records[] = {decision(1, "a2", "doc", true), decision(2, "a3", "doc", true, 1),
                                 decision(3, "a1", "", false), decision(4, "a1", "", false)};
  std::atomic<int> committed{0};
  for (const auto& r : records)
    (*log)->append(r, [&](Commit c) { committed += c == Commit::Committed; });
  for (int i = 0; i < 500 && committed < 4; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(committed.load(), 4);

  AccountStore& s = **store;
  for (std::string account : {"a1", "a2", "a3", "a4"})
    for (std::optional<std::string> document :
         {std::optional<std::string>(), std::optional<std::string>("doc"),
          std::optional<std::string>("unknown")}) {
      auto one = s.read_for_decision(account, document);
      auto three = s.AccountStore::read_for_decision(account, document);  // the three reads
      ASSERT_TRUE(one && three);
      expect_same(*one, *three, account + " / " + document.value_or("no document"));
    }
  // And the figures themselves, so that both paths cannot be wrong alike.
  auto a1 = s.read_for_decision("a1", std::string("doc"));
  ASSERT_TRUE(a1);
  EXPECT_EQ(a1->other_accounts, 2);
  EXPECT_EQ(a1->failed_attempts, 2);
  ASSERT_TRUE(a1->primary);
  EXPECT_EQ(a1->primary->full_name, "ANNA MUSTER");
  auto a2 = s.read_for_decision("a2", std::string("doc"));
  EXPECT_EQ(a2->other_accounts, 1);
  EXPECT_EQ(a2->failed_attempts, 0);
  auto a4 = s.read_for_decision("a4", std::nullopt);
  EXPECT_FALSE(a4->primary);
  EXPECT_EQ(a4->other_accounts, 0);
}
