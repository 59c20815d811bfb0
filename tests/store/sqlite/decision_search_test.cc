// The search and the hourly counts of the SQLite log, checked over 2,000 decisions (and a few
// activations) against the in-memory store, which answers the same questions by reading every
// record: paging with neither a duplicate nor a gap, newest first, filters combined,
// activations never listed, counts equal. And a log written before the search index is
// upgraded when opened, once, with its chain unchanged.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store/chain.h"
#include "store/memory/memory_store.h"
#include "store/sqlite/decision_log.h"

namespace fs = std::filesystem;
using kyc::store::AuditRecord;
using kyc::store::Bucket;
using kyc::store::BucketCount;
using kyc::store::DecisionLog;
using kyc::store::DecisionQuery;
using kyc::store::DecisionRow;
using kyc::store::sqlite::SqliteDecisionLog;

namespace {

const char* kOutcomes[] = {"approve", "resubmit", "review", "reject"};
const char* kReasons[] = {"DOC_EXPIRED", "DOC_UNREADABLE", "IMAGE_TOO_LARGE", "KYC_DATA_MISMATCH"};

std::string two(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

// Decision i: made 7 minutes after i-1 from 2026-11-01 (so ~10 days, every hour), by one of
// 36 accounts or none, under one of two policy versions, with 0-2 reasons and, every 5th, an
// undetermined reason. Every 400th record is an activation instead.
AuditRecord record(int i) {
  AuditRecord r;
  int minutes = i * 7;
  int day = 1 + minutes / (24 * 60), hour = minutes / 60 % 24, minute = minutes % 60;
  r.time = "2026-11-" + two(day) + "T" + two(hour) + ":" + two(minute) + ":00.000Z";
  r.decision_id = "D" + std::to_string(i);
  r.facts = "{}";
  r.today = r.time.substr(0, 10);
  r.policy_sha256 = i < 1000 ? "sha-a" : "sha-b";
  if (i % 400 == 399) {
    r.stage = "activation";
    r.decision =
        R"({"version":"v)" + std::to_string(i) + R"(","sha256":"sha-b","trigger":"start","by":""})";
    return r;
  }
  r.stage = i % 3 ? "evaluate" : "verification";
  // Every 37th has no account (acct-36 never occurs): retention's day keys.
  r.account_id = i % 37 == 36 ? "" : "acct-" + std::to_string(i % 37);
  std::string reasons;
  for (int k = 0; k < i % 3; ++k)
    reasons += std::string(k ? "," : "") + R"({"code":")" + kReasons[(i + k) % 4] +
               R"(","outcome":"resubmit","evidence":[]})";
  std::string undetermined =
      i % 5 ? ""
            : R"({"code":"DOC_EXPIRED","outcome":"review","missing":["document.expiry","today"]})";
  r.decision = R"({"decision_id":")" + r.decision_id + R"(","outcome":")" + kOutcomes[i % 4] +
               R"(","reasons":[)" + reasons + R"(],"undetermined":[)" + undetermined +
               R"(],"policy":{"name":"kyc","version":")" + (i < 1000 ? "v1" : "v2") +
               R"(","sha256":")" + r.policy_sha256 + R"("}})";
  return r;
}

constexpr int kRecords = 2000;

void fill(DecisionLog& log, int from, int to) {
  std::atomic<int> done = 0;
  for (int i = from; i < to; ++i)
    log.append(record(i), [&done](DecisionLog::Commit c) {
      EXPECT_EQ(c, DecisionLog::Commit::Committed);
      ++done;
    });
  while (done < to - from) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

fs::path fresh_dir() {
  char tmpl[] = "/tmp/kycd-search-XXXXXX";
  return mkdtemp(tmpl);
}

// Every page of `query`, following the cursor as a client does.
std::vector<DecisionRow> all_pages(DecisionLog& log, DecisionQuery query, size_t page) {
  std::vector<DecisionRow> out;
  query.limit = page;
  while (true) {
    auto rows = log.search(query);
    EXPECT_TRUE(rows) << rows.error().message;
    if (!rows || rows->empty()) return out;
    out.insert(out.end(), rows->begin(), rows->end());
    if (rows->size() < page) return out;
    query.before_seq = rows->back().seq;
  }
}

std::vector<std::string> ids(const std::vector<DecisionRow>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.decision_id);
  return out;
}

class DecisionSearch : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fresh_dir();
    auto opened = SqliteDecisionLog::open((dir_ / "audit.db").string(), {});
    ASSERT_TRUE(opened) << opened.error().message;
    sqlite_ = opened->release();
    memory_ = new kyc::store::memory::MemoryStore;
    fill(*sqlite_, 0, kRecords);
    fill(*memory_, 0, kRecords);
  }
  static void TearDownTestSuite() {
    delete sqlite_;
    delete memory_;
    fs::remove_all(dir_);
  }
  static inline fs::path dir_;
  static inline SqliteDecisionLog* sqlite_ = nullptr;
  static inline kyc::store::memory::MemoryStore* memory_ = nullptr;
};

// Retention's questions (service/retention.h) answered alike, at cutoffs inside the range
// (an account whose last decision is early), and page by page.
TEST_F(DecisionSearch, IdleAccountsAndDaysWithoutAnAccountMatchTheReferenceStore) {
  for (const char* cutoff : {"2026-11-01", "2026-11-03T12:00:00Z", "2026-11-10T15:00:00Z", "2026-11-10T23:00:00Z", "2027"}) {
    std::vector<std::string> paged;
    for (std::string after;;) {
      auto page = sqlite_->idle_accounts(cutoff, after, 5);
      ASSERT_TRUE(page) << page.error().message;
      paged.insert(paged.end(), page->begin(), page->end());
      if (page->size() < 5) break;
      after = page->back();
    }
    auto want = memory_->idle_accounts(cutoff, "", 1000);
    ASSERT_TRUE(want);
    EXPECT_EQ(paged, *want) << cutoff;
    auto days = sqlite_->days_without_account(cutoff);
    ASSERT_TRUE(days);
    EXPECT_EQ(*days, *memory_->days_without_account(cutoff)) << cutoff;
  }
  EXPECT_EQ(memory_->idle_accounts("2027", "", 1000)->size(), 36u);
  EXPECT_TRUE(memory_->idle_accounts("2026-11-01", "", 1000)->empty());
  EXPECT_EQ(memory_->days_without_account("2026-11-04")->size(), 3u);  // Nov 1-3
}

TEST_F(DecisionSearch, PagesAreNewestFirstWithoutDuplicatesOrGapsAndWithoutActivations) {
  auto rows = all_pages(*sqlite_, {}, 70);
  ASSERT_EQ(rows.size(), static_cast<size_t>(kRecords - kRecords / 400));
  std::set<std::string> seen;
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_NE(rows[i].stage, "activation");
    EXPECT_TRUE(seen.insert(rows[i].decision_id).second) << rows[i].decision_id;
    if (i) {
      EXPECT_LT(rows[i].seq, rows[i - 1].seq);
    }
  }
  EXPECT_EQ(rows.front().decision_id, "D1998");  // D1999 is an activation
  EXPECT_EQ(rows.back().decision_id, "D0");
}

TEST_F(DecisionSearch, FiltersAloneAndCombinedAgreeWithAScanOfEveryRecord) {
  std::vector<DecisionQuery> queries;
  auto q = [&](auto edit) {
    DecisionQuery query;
    edit(query);
    queries.push_back(query);
  };
  q([](auto& x) { x.reason = "DOC_EXPIRED"; });
  q([](auto& x) { x.account_id = "acct-5"; });
  q([](auto& x) { x.outcome = "reject"; });
  q([](auto& x) { x.policy_version = "v2"; });
  q([](auto& x) { x.decision_id = "D777"; });
  q([](auto& x) { x.decision_id = "D399"; });  // an activation: not a decision
  q([](auto& x) {
    x.from = "2026-11-03T05:30:00Z";
    x.to = "2026-11-06";
  });
  q([](auto& x) {
    x.outcome = "resubmit";
    x.from = "2026-11-02";
    x.to = "2026-11-04T12:00:00Z";
  });
  q([](auto& x) {
    x.reason = "IMAGE_TOO_LARGE";
    x.outcome = "resubmit";
    x.policy_version = "v1";
  });
  q([](auto& x) {
    x.reason = "KYC_DATA_MISMATCH";
    x.account_id = "acct-7";
    x.to = "2026-11-08";
  });
  q([](auto& x) {
    x.account_id = "acct-3";
    x.outcome = "review";
    x.from = "2026-11-04";
  });
  q([](auto& x) { x.reason = "NO_SUCH_CODE"; });
  q([](auto& x) { x.from = "2027-01-01"; });
  for (const auto& query : queries) {
    auto got = ids(all_pages(*sqlite_, query, 9));
    auto want = ids(all_pages(*memory_, query, 100000));
    EXPECT_EQ(got, want) << "reason=" << query.reason << " account=" << query.account_id
                         << " outcome=" << query.outcome << " from=" << query.from;
  }
  // The scan found something for the plain filters: the comparison is not empty = empty.
  EXPECT_EQ(ids(all_pages(*sqlite_, queries[4], 10)), std::vector<std::string>{"D777"});
  EXPECT_TRUE(all_pages(*sqlite_, queries[5], 10).empty());
  EXPECT_GT(all_pages(*sqlite_, queries[8], 10).size(), 10u);
}

TEST_F(DecisionSearch, RowsCarryTheDecisionsColumns) {
  DecisionQuery query;
  query.decision_id = "D1001";
  auto rows = sqlite_->search(query);
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  const auto& row = rows->front();
  EXPECT_EQ(row.outcome, "resubmit");
  EXPECT_EQ(row.reasons, (std::vector<std::string>{"DOC_UNREADABLE", "IMAGE_TOO_LARGE"}));
  EXPECT_TRUE(row.undetermined.empty());
  EXPECT_EQ(row.policy_version, "v2");
  EXPECT_EQ(row.policy_sha256, "sha-b");
  EXPECT_EQ(row.account_id, "acct-" + std::to_string(1001 % 37));
}

TEST_F(DecisionSearch, CountsPerBucketEqualAScanOfEveryRecord) {
  for (auto [from, to, bucket] : {std::tuple{"", "", Bucket::Day},
                                  {"2026-11-02T10:00:00Z", "2026-11-05", Bucket::Hour},
                                  {"2026-11-03T10:30:00Z", "2026-11-04T01:00:00Z", Bucket::Hour}}) {
    auto got = sqlite_->counts(from, to, bucket);
    auto want = memory_->counts(from, to, bucket);
    ASSERT_TRUE(got && want);
    auto key = [](const BucketCount& c) {
      return c.bucket + "|" + std::to_string(static_cast<int>(c.kind)) + "|" + c.name + "|" +
             std::to_string(c.count);
    };
    std::multiset<std::string> a, b;
    for (const auto& c : *got) a.insert(key(c));
    for (const auto& c : *want) b.insert(key(c));
    EXPECT_EQ(a, b) << from << " " << to;
    EXPECT_FALSE(a.empty());
  }
  // Every decision is counted once, by its outcome; activations not at all.
  int64_t decisions = 0;
  for (const auto& c : *sqlite_->counts("", "", Bucket::Day))
    if (c.kind == kyc::store::CountKind::Decisions) decisions += c.count;
  EXPECT_EQ(decisions, kRecords - kRecords / 400);
}

// The decisions table and its indexes as they were before the search index.
const char* kOldSchema = R"(
CREATE TABLE policies (sha256 TEXT PRIMARY KEY, text TEXT NOT NULL, first_used TEXT NOT NULL);
CREATE TABLE decisions (seq INTEGER PRIMARY KEY, decision_id TEXT NOT NULL UNIQUE,
  time TEXT NOT NULL, account_id TEXT NOT NULL, stage TEXT NOT NULL, facts TEXT NOT NULL,
  today TEXT NOT NULL, policy_sha256 TEXT NOT NULL, decision TEXT NOT NULL,
  prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX decisions_account ON decisions(account_id, seq);
)";

TEST(DecisionSearchUpgrade, AnOlderLogGainsTheIndexOnceAndItsChainStillVerifies) {
  fs::path dir = fresh_dir();
  std::string path = (dir / "audit.db").string();
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(kOldSchema);
    SQLite::Transaction tx(db);
    SQLite::Statement insert(db, "INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    std::string hash = kyc::store::kGenesisHash;
    for (int i = 0; i < 500; ++i) {
      AuditRecord r = record(i);
      std::string prev = hash;
      hash = kyc::store::chain_hash(prev, kyc::store::canonical_bytes(i + 1, r));
      int c = 1;
      insert.bind(c++, static_cast<int64_t>(i + 1));
      for (const std::string* f : {&r.decision_id, &r.time, &r.account_id, &r.stage, &r.facts,
                                   &r.today, &r.policy_sha256, &r.decision, &prev, &hash})
        insert.bind(c++, *f);
      insert.exec();
      insert.reset();
    }
    tx.commit();
  }
  kyc::store::memory::MemoryStore memory;
  fill(memory, 0, 600);
  for (int open = 0; open < 2; ++open) {  // the second open finds it done
    auto log = SqliteDecisionLog::open(path, {});
    ASSERT_TRUE(log) << log.error().message;
    if (open == 0) fill(**log, 500, 600);  // new records after the upgrade
    EXPECT_TRUE(kyc::store::verify_chain(**log).ok);
    DecisionQuery all, by_reason, by_outcome;
    by_reason.reason = "DOC_UNREADABLE";
    by_outcome.outcome = "review";
    by_outcome.from = "2026-11-01T10:00:00Z";
    for (auto query : {all, by_reason, by_outcome}) {
      query.limit = 1000;
      auto got = (*log)->search(query);
      ASSERT_TRUE(got);
      EXPECT_EQ(ids(*got), ids(*memory.search(query)));
      EXPECT_FALSE(got->empty());
    }
    EXPECT_EQ((*log)->counts("", "", Bucket::Day)->size(),
              memory.counts("", "", Bucket::Day)->size());
  }
  // The read-only reader that verify uses sees the same chain.
  auto reader = SqliteDecisionLog::open_read_only(path);
  ASSERT_TRUE(reader);
  auto check = kyc::store::verify_chain(**reader);
  EXPECT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.records, 600);
  fs::remove_all(dir);
}

}  // namespace
