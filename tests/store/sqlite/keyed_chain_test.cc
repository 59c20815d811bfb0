// The keyed chain on SQLite: a new log is keyed from its first record, an old plain log is
// switched and keeps verifying, and whoever can write audit.db but lacks the chain key cannot
// hide an edit, a removed tail, or a changed document link, attempt count or account.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <string>

#include "store/chain.h"
#include "store/sqlite/account_store.h"
#include "store/sqlite/decision_log.h"
#include "tests/temp_dir.h"

namespace fs = std::filesystem;
using kyc::store::AuditRecord;
using kyc::store::ChainKey;
using kyc::store::VerifyOptions;
using kyc::store::sqlite::SqliteAccountStore;
using kyc::store::sqlite::SqliteDecisionLog;

namespace {

using kyc::test_support::TempDir;

const ChainKey kKey = ChainKey::from_bytes(std::string(32, 'k'));
const ChainKey kOtherKey = ChainKey::from_bytes(std::string(32, 'o'));

// Decision i on account acct-(i % 3); every third one links document doc-i.
AuditRecord decision(int i) {
  AuditRecord r;
  r.decision_id = "D" + std::to_string(i);
  r.time = "2026-12-05T00:00:00." + std::to_string(100 + i) + "Z";
  r.account_id = "acct-" + std::to_string(i % 3);
  r.stage = "evaluate";
  r.facts = "{\"n\":" + std::to_string(i) + "}";
  r.today = "2026-12-05";
  r.policy_sha256 = std::string(64, 'a');
  r.decision = "{\"outcome\":\"approve\"}";
  if (i % 3 == 0) r.link = AuditRecord::DocumentLink{std::string(64, 'd') + std::to_string(i), 0};
  r.failed_attempt = i % 2;
  return r;
}

void append(kyc::store::DecisionLog& log, int from, int to) {
  for (int i = from; i <= to; ++i) {
    std::promise<kyc::store::DecisionLog::Commit> done;
    auto f = done.get_future();
    log.append(decision(i), [&done](auto c) { done.set_value(c); });
    ASSERT_EQ(f.get(), kyc::store::DecisionLog::Commit::Committed);
  }
}

kyc::store::ChainCheck verify(const std::string& db, const ChainKey* key,
                              std::vector<kyc::store::ChainAnchor> anchors = {}) {
  auto log = SqliteDecisionLog::open_read_only(db);
  EXPECT_TRUE(log);
  VerifyOptions options;
  options.key = key;
  options.anchors = std::move(anchors);
  return kyc::store::verify_chain(**log, options);
}

// A keyed log of `n` decisions and one account with primary data.
void make_keyed_log(const std::string& db, int n) {
  auto log = SqliteDecisionLog::open(db, {}, &kKey);
  ASSERT_TRUE(log) << log.error().message;
  append(**log, 1, n);
  auto accounts = SqliteAccountStore::open(db, std::chrono::milliseconds(1000), &kKey);
  ASSERT_TRUE(accounts) << accounts.error().message;
  ASSERT_TRUE((*accounts)->set_primary(
      {"acct-1", "Ann Example", "1990-01-01", "DE", "passport", std::string(64, 'e')},
      "2026-12-05T00:00:01Z"));
}

}  // namespace

TEST(KeyedChain, ANewLogIsKeyedFromItsFirstRecordAndItsRowsMatch) {
  TempDir dir;
  make_keyed_log(dir.file("audit.db"), 9);
  auto check = verify(dir.file("audit.db"), &kKey);
  ASSERT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.records, 10);  // 9 decisions and the account change
  EXPECT_EQ(check.keyed_from, 1);
  EXPECT_EQ(check.key_id, kKey.id());
  EXPECT_EQ(check.rows, 3 + 3 + 1);  // links of D3, D6, D9; attempts of 3 accounts; 1 account
  EXPECT_NE(check.summary().find("keyed with chain key " + kKey.id()), std::string::npos);
  SQLite::Database db(dir.file("audit.db"));
  EXPECT_EQ(db.execAndGet("SELECT stage FROM decisions WHERE seq = 10").getString(),
            kyc::store::kAccountChangeStage);
  // The chained account record holds no personal data.
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM decisions WHERE decision || effects LIKE "
                          "'%Ann Example%'")
                .getInt(),
            0);
}

TEST(KeyedChain, WithoutTheKeyOrWithAnotherOneTheCheckFailsNamingTheKeyId) {
  TempDir dir;
  make_keyed_log(dir.file("audit.db"), 3);
  auto without = verify(dir.file("audit.db"), nullptr);
  EXPECT_FALSE(without.ok);
  EXPECT_NE(without.problem.find("chain key " + kKey.id()), std::string::npos) << without.problem;
  auto wrong = verify(dir.file("audit.db"), &kOtherKey);
  EXPECT_FALSE(wrong.ok);
  EXPECT_NE(wrong.problem.find("keyed with chain key " + kKey.id() + ", not with the key given (" +
                               kOtherKey.id() + ")"),
            std::string::npos)
      << wrong.problem;
  // Nor does a service start on it with another key.
  auto reopened = SqliteDecisionLog::open(dir.file("audit.db"), {}, &kOtherKey);
  ASSERT_FALSE(reopened);
  EXPECT_NE(reopened.error().message.find(kKey.id()), std::string::npos);
}

TEST(KeyedChain, AnEditWithTheChainRecomputedByPlainSha256IsFound) {
  TempDir dir;
  make_keyed_log(dir.file("audit.db"), 6);
  {
    // Someone with the database but not the key: edits record 2 and recomputes every link
    // after it as the old plain chain did, and says the log is plain.
    SQLite::Database db(dir.file("audit.db"), SQLite::OPEN_READWRITE);
    db.exec("UPDATE decisions SET facts = '{\"n\":99}' WHERE seq = 2");
    db.exec("DELETE FROM chain_meta");
    auto log = SqliteDecisionLog::open_read_only(dir.file("audit.db"));
    std::string prev = kyc::store::kGenesisHash;
    std::vector<std::pair<int64_t, std::string>> links;
    ASSERT_TRUE((*log)->range("", "", [&](const kyc::store::StoredRecord& s) {
      auto r = s.record;
      r.effects.clear();
      std::string h = kyc::store::chain_hash(prev, kyc::store::canonical_bytes(s.seq, r));
      links.push_back({s.seq, h});
      prev = h;
      return true;
    }));
    log->reset();
    db.exec("UPDATE decisions SET effects = NULL");
    for (size_t i = 0; i < links.size(); ++i) {
      SQLite::Statement u(db, "UPDATE decisions SET prev_hash = ?, hash = ? WHERE seq = ?");
      u.bind(1, i ? links[i - 1].second : kyc::store::kGenesisHash);
      u.bind(2, links[i].second);
      u.bind(3, links[i].first);
      u.exec();
    }
  }
  EXPECT_TRUE(verify(dir.file("audit.db"), nullptr).ok);  // without the key it looks like an old log...
  auto check = verify(dir.file("audit.db"), &kKey);       // ...but the key says it must be keyed
  EXPECT_FALSE(check.ok);
  EXPECT_NE(check.problem.find("recomputed without the key"), std::string::npos) << check.problem;
}

TEST(KeyedChain, AChangedLinkRowAttemptCountOrAccountIsFound) {
  for (const char* edit :
       {"UPDATE document_links SET account_id = 'acct-2' WHERE account_id = 'acct-0' AND "
        "decision_id = 'D3'",
        "DELETE FROM document_links WHERE decision_id = 'D6'",
        "INSERT INTO document_links VALUES ('ffff', 'acct-9', 'D1', '2026-12-05T00:00:00Z')",
        "UPDATE attempts SET failed = 0", "UPDATE accounts SET full_name = 'Someone Else'",
        "DELETE FROM accounts"}) {
    TempDir dir;
    make_keyed_log(dir.file("audit.db"), 6);
    ASSERT_TRUE(verify(dir.file("audit.db"), &kKey).ok);
    { SQLite::Database(dir.file("audit.db"), SQLite::OPEN_READWRITE).exec(edit); }
    auto check = verify(dir.file("audit.db"), &kKey);
    EXPECT_FALSE(check.ok) << edit;
    EXPECT_NE(check.problem.find("outside the service"), std::string::npos)
        << edit << ": " << check.problem;
  }
}

TEST(KeyedChain, ARemovedTailIsFoundByACheckpoint) {
  TempDir dir;
  make_keyed_log(dir.file("audit.db"), 120);
  auto log = SqliteDecisionLog::open_read_only(dir.file("audit.db"));
  auto head = (*log)->head();
  ASSERT_TRUE(head);
  EXPECT_EQ(head->seq, 121);
  log->reset();
  std::vector<kyc::store::ChainAnchor> anchors = {{head->seq, head->link, "the checkpoint"}};
  ASSERT_TRUE(verify(dir.file("audit.db"), &kKey, anchors).ok);
  // The account change at the end, then the last 100: without the checkpoint, the tables
  // still betray the removal; with it, the check names the missing records.
  {
    SQLite::Database(dir.file("audit.db"), SQLite::OPEN_READWRITE)
        .exec("DELETE FROM decisions WHERE seq = 121");
  }
  auto one = verify(dir.file("audit.db"), &kKey, anchors);
  EXPECT_FALSE(one.ok);
  EXPECT_NE(one.problem.find("the log ends at record 120, but the checkpoint names record 121"),
            std::string::npos)
      << one.problem;
  {
    SQLite::Database(dir.file("audit.db"), SQLite::OPEN_READWRITE).exec("DELETE FROM decisions WHERE seq > 20");
  }
  auto hundred = verify(dir.file("audit.db"), &kKey, anchors);
  EXPECT_FALSE(hundred.ok);
  EXPECT_NE(hundred.problem.find("records 21-121 were removed"), std::string::npos)
      << hundred.problem;
  // The same without a checkpoint: the account tables no longer match the chain.
  EXPECT_FALSE(verify(dir.file("audit.db"), &kKey).ok);
}

TEST(KeyedChain, AnOldPlainLogSwitchesToKeyedLinksAndKeepsVerifying) {
  TempDir dir;
  {
    auto plain = SqliteDecisionLog::open(dir.file("audit.db"), {});  // as kycd did before keyed chains
    ASSERT_TRUE(plain);
    append(**plain, 1, 5);
  }
  ASSERT_TRUE(verify(dir.file("audit.db"), nullptr).ok);
  {
    auto keyed = SqliteDecisionLog::open(dir.file("audit.db"), {}, &kKey);
    ASSERT_TRUE(keyed) << keyed.error().message;
    append(**keyed, 6, 8);
  }
  {
    // Opened again with the key: no second switch.
    auto keyed = SqliteDecisionLog::open(dir.file("audit.db"), {}, &kKey);
    ASSERT_TRUE(keyed);
    append(**keyed, 9, 9);
  }
  auto check = verify(dir.file("audit.db"), &kKey);
  ASSERT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.records, 10);  // 5 plain, the switch, 4 keyed
  EXPECT_EQ(check.keyed_from, 6);
  EXPECT_NE(
      check.summary().find("records 1-5 plain SHA-256, 6-10 keyed with chain key " + kKey.id()),
      std::string::npos)
      << check.summary();
  SQLite::Database db(dir.file("audit.db"));
  EXPECT_EQ(db.execAndGet("SELECT stage FROM decisions WHERE seq = 6").getString(),
            kyc::store::kChainSchemeStage);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM decisions WHERE stage = 'chain-scheme'").getInt(),
            1);
  // The rows the plain part wrote were stated by the switch: changing one is found too.
  { SQLite::Database(dir.file("audit.db"), SQLite::OPEN_READWRITE).exec("UPDATE attempts SET total = 1"); }
  EXPECT_FALSE(verify(dir.file("audit.db"), &kKey).ok);
}
