// The conformance suite's questions over many records, answered by each backend and by the
// in-memory store, which answers them by reading every record: the console's search (filters
// alone and combined, paging newest first with neither a duplicate nor a gap, activations and
// the chain's own records never listed), the hourly counts, and retention's idle accounts and
// days without an account. The suite is instantiated in store_conformance_test.cc.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "store/decision_summary.h"
#include "store/memory/memory_store.h"
#include "tests/store/store_conformance.h"

namespace kyc::store::conformance {

namespace {

const char* kOutcomes[] = {"approve", "resubmit", "review", "reject"};
const char* kReasons[] = {"DOC_EXPIRED", "DOC_UNREADABLE", "IMAGE_TOO_LARGE", "KYC_DATA_MISMATCH"};
constexpr int kRecords = 300;

// Account n's id, in one of three cases: their byte order (the SQLite store's, the contract's)
// is not a dictionary's, so a query that sorts them by a database's default collation shows.
std::string account(int n) {
  return std::string(n % 4 == 2 ? "ACCT-" : n % 4 == 0 ? "Acct-" : "acct-") + std::to_string(n);
}

// Record i: made 23 minutes after i-1 from 2026-11-01 (so ~5 days), by one of 12 accounts or,
// every 13th, none; under policy v1 or v2; with 0-2 reasons and, every 5th, an undetermined
// one. Every 50th is an activation instead.
AuditRecord varied(int i) {
  AuditRecord r;
  int minutes = i * 23;
  r.time = "2026-11-" + two(1 + minutes / (24 * 60)) + "T" + two(minutes / 60 % 24) + ":" +
           two(minutes % 60) + ":00.000Z";
  r.decision_id = "D" + std::to_string(i);
  r.facts = "{}";
  r.today = r.time.substr(0, 10);
  r.policy_sha256 = i < 150 ? "sha-a" : "sha-b";
  if (i % 50 == 49) {
    r.stage = kActivationStage;
    r.decision =
        R"({"version":"v)" + std::to_string(i) + R"(","sha256":"sha-b","trigger":"start","by":""})";
    return r;
  }
  r.stage = i % 3 ? "evaluate" : "verification";
  r.account_id = i % 13 == 12 ? "" : account(i % 13);
  std::string reasons;
  for (int k = 0; k < i % 3; ++k)
    reasons += std::string(k ? "," : "") + R"({"code":")" + kReasons[(i + k) % 4] +
               R"(","outcome":"resubmit","evidence":[]})";
  std::string undetermined =
      i % 5 ? ""
            : R"({"code":"DOC_EXPIRED","outcome":"review","missing":["document.expiry","today"]})";
  r.decision = R"({"decision_id":")" + r.decision_id + R"(","outcome":")" + kOutcomes[i % 4] +
               R"(","reasons":[)" + reasons + R"(],"undetermined":[)" + undetermined +
               R"(],"policy":{"name":"kyc","version":")" + (i < 150 ? "v1" : "v2") +
               R"(","sha256":")" + r.policy_sha256 + R"("}})";
  r.failed_attempt = i % 4 != 0;
  return r;
}

// Every page of `query`, following the cursor as a client does.
std::vector<DecisionRow> all_pages(DecisionLog& log, DecisionQuery query, size_t page) {
  std::vector<DecisionRow> out;
  query.limit = page;
  for (int pages = 0; pages < 1000; ++pages) {
    auto rows = log.search(query);
    EXPECT_TRUE(rows) << rows.error().message;
    if (!rows) return out;
    EXPECT_LE(rows->size(), page);
    out.insert(out.end(), rows->begin(), rows->end());
    if (rows->size() < page) return out;
    query.before_seq = rows->back().seq;
  }
  ADD_FAILURE() << "paging does not end";
  return out;
}

// A row as text, every column but seq (the oracle numbers its records alike, but says so
// nowhere that matters here).
std::string row_text(const DecisionRow& r) {
  return r.decision_id + "|" + r.time + "|" + r.account_id + "|" + r.stage + "|" + r.outcome + "|" +
         join_words(r.reasons) + "|" + join_words(r.undetermined) + "|" + r.policy_version + "|" +
         r.policy_sha256;
}

std::vector<std::string> rows_text(const std::vector<DecisionRow>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(row_text(r));
  return out;
}

std::multiset<std::string> counts_text(const std::vector<BucketCount>& counts) {
  std::multiset<std::string> out;
  for (const auto& c : counts)
    out.insert(c.bucket + "|" + std::to_string(static_cast<int>(c.kind)) + "|" + c.name + "|" +
               std::to_string(c.count));
  return out;
}

// The same records in the store under test and in the oracle, and then an account change: a
// record of the chain, which no question about decisions may count.
void fill(Stores& stores, memory::MemoryStore& oracle) {
  std::vector<AuditRecord> records;
  for (int i = 0; i < kRecords; ++i) records.push_back(varied(i));
  for (Commit c : commit_all(*stores.decisions, records)) ASSERT_EQ(c, Commit::Committed);
  for (Commit c : commit_all(oracle, records)) ASSERT_EQ(c, Commit::Committed);
  ASSERT_TRUE(stores.accounts->set_primary(
      {account(1), "Ann Example", "1990-01-01", "DE", "passport", std::string(64, 'e')},
      "2026-10-15T00:00:00Z"));
}

}  // namespace

TEST_P(StoreConformance, SearchPagesAndFiltersAgreeWithAScanOfEveryRecord) {
  OPEN_STORES(stores);
  memory::MemoryStore oracle;
  ASSERT_NO_FATAL_FAILURE(fill(stores, oracle));
  std::vector<DecisionQuery> queries(13);
  queries[1].reason = "DOC_EXPIRED";
  queries[2].account_id = account(5);
  queries[3].outcome = "reject";
  queries[4].policy_version = "v2";
  queries[5].decision_id = "D77";
  queries[6].decision_id = "D99";  // an activation: not a decision
  queries[7].from = "2026-11-02T05:30:00Z";
  queries[7].to = "2026-11-04";
  queries[8].outcome = "resubmit";
  queries[8].reason = "IMAGE_TOO_LARGE";
  queries[8].policy_version = "v1";
  queries[9].reason = "KYC_DATA_MISMATCH";
  queries[9].account_id = account(6);
  queries[9].to = "2026-11-04";
  queries[10].account_id = account(4);
  queries[10].outcome = "review";
  queries[10].from = "2026-11-02";
  queries[11].reason = "NO_SUCH_CODE";
  queries[12].from = "2027-01-01";
  for (size_t i = 0; i < queries.size(); ++i) {
    SCOPED_TRACE("query " + std::to_string(i));
    auto got = all_pages(*stores.decisions, queries[i], 7);
    EXPECT_EQ(rows_text(got), rows_text(all_pages(oracle, queries[i], 100000)));
    for (size_t k = 1; k < got.size(); ++k) EXPECT_LT(got[k].seq, got[k - 1].seq);
  }
  // What the oracle says is not empty = empty: the plain filters find something.
  auto everything = all_pages(*stores.decisions, queries[0], 7);
  EXPECT_EQ(everything.size(), static_cast<size_t>(kRecords - kRecords / 50));
  EXPECT_EQ(everything.front().decision_id, "D298");  // D299 is an activation
  EXPECT_EQ(everything.back().decision_id, "D0");
  for (size_t i = 1; i <= 4; ++i) EXPECT_GT(all_pages(*stores.decisions, queries[i], 7).size(), 7u);
  EXPECT_EQ(ids(all_pages(*stores.decisions, queries[5], 7)), std::vector<std::string>{"D77"});
  EXPECT_TRUE(all_pages(*stores.decisions, queries[6], 7).empty());
  EXPECT_FALSE(all_pages(*stores.decisions, queries[8], 7).empty());
}

TEST_P(StoreConformance, HourlyCountsAgreeWithAScanOfEveryRecord) {
  OPEN_STORES(stores);
  memory::MemoryStore oracle;
  ASSERT_NO_FATAL_FAILURE(fill(stores, oracle));
  for (auto [from, to, bucket] : {std::tuple{"", "", Bucket::Day},
                                  {"", "", Bucket::Hour},
                                  {"2026-11-02T10:00:00Z", "2026-11-04", Bucket::Hour},
                                  {"2026-11-03T10:30:00Z", "2026-11-04T01:00:00Z", Bucket::Day}}) {
    SCOPED_TRACE(std::string(from) + " - " + to);
    auto got = stores.decisions->counts(from, to, bucket);
    ASSERT_TRUE(got) << got.error().message;
    auto want = oracle.counts(from, to, bucket);
    ASSERT_TRUE(want);
    EXPECT_EQ(counts_text(*got), counts_text(*want));
    EXPECT_FALSE(got->empty());
  }
  // Every decision is counted once, by its outcome; activations and the account change not.
  int64_t decisions = 0;
  for (const auto& c : *stores.decisions->counts("", "", Bucket::Hour))
    if (c.kind == CountKind::Decisions) decisions += c.count;
  EXPECT_EQ(decisions, kRecords - kRecords / 50);
  EXPECT_TRUE(stores.decisions->counts("2027-01-01T00:00:00Z", "", Bucket::Hour)->empty());
}

TEST_P(StoreConformance, IdleAccountsAndDaysWithoutAnAccountAgreeWithAScanOfEveryRecord) {
  OPEN_STORES(stores);
  memory::MemoryStore oracle;
  ASSERT_NO_FATAL_FAILURE(fill(stores, oracle));
  for (const char* cutoff : {"2026-11-01", "2026-11-02T12:00:00Z", "2026-11-05T15:00:00Z",
                             "2026-11-05T18:00:00Z", "2027"}) {
    SCOPED_TRACE(cutoff);
    std::vector<std::string> paged;
    for (std::string after;;) {
      auto page = stores.decisions->idle_accounts(cutoff, after, 5);
      ASSERT_TRUE(page) << page.error().message;
      paged.insert(paged.end(), page->begin(), page->end());
      if (page->size() < 5) break;
      after = page->back();
    }
    EXPECT_EQ(paged, *oracle.idle_accounts(cutoff, "", 1000));
    auto days = stores.decisions->days_without_account(cutoff);
    ASSERT_TRUE(days) << days.error().message;
    EXPECT_EQ(*days, *oracle.days_without_account(cutoff));
  }
  auto every = stores.decisions->idle_accounts("2027", "", 1000);
  ASSERT_TRUE(every);
  EXPECT_EQ(every->size(), 12u);
  EXPECT_EQ(every->front(), "ACCT-10");  // byte order: upper case first
  EXPECT_EQ(every->back(), "acct-9");
  EXPECT_TRUE(stores.decisions->idle_accounts("2026-11-01", "", 1000)->empty());
  // The account change of 2026-10-15 is no decision without an account.
  EXPECT_EQ(*stores.decisions->days_without_account("2026-11-04"),
            (std::vector<std::string>{"2026-11-01", "2026-11-02", "2026-11-03"}));
}

}  // namespace kyc::store::conformance
