// The in-memory backend keeps the promises of the store's interfaces that the service relies
// on: links and attempts committed with the record, conflicts on a stale link count, one
// decision per idempotency key, and reads in sequence order.
#include "store/memory/memory_store.h"

#include <gtest/gtest.h>

using kyc::store::AuditRecord;
using kyc::store::StoredRecord;
using kyc::store::memory::MemoryStore;
using Commit = kyc::store::DecisionLog::Commit;

namespace {

AuditRecord record(const std::string& id, const std::string& account, const std::string& time) {
  AuditRecord r;
  r.decision_id = id;
  r.account_id = account;
  r.time = time;
  r.stage = "evaluate";
  r.facts = "{}";
  r.decision = "{\"outcome\":\"approve\"}";
  return r;
}

Commit append(MemoryStore& store, AuditRecord r) {
  Commit result = Commit::Failed;
  store.append(std::move(r), [&result](Commit c) { result = c; });
  return result;
}

}  // namespace

TEST(MemoryStore, ALinkCommitsWithItsRecordAndAStaleCountConflicts) {
  MemoryStore store;
  auto first = record("D1", "acct-1", "2026-12-01T00:00:00Z");
  first.link = AuditRecord::DocumentLink{"doc", 0};
  EXPECT_EQ(append(store, first), Commit::Committed);
  EXPECT_EQ(*store.other_accounts("doc", "acct-2"), 1);
  EXPECT_EQ(*store.other_accounts("doc", "acct-1"), 0);
  // A second account's approval that read the count before the first one committed.
  auto stale = record("D2", "acct-2", "2026-12-01T00:00:01Z");
  stale.link = AuditRecord::DocumentLink{"doc", 0};
  EXPECT_EQ(append(store, stale), Commit::Conflict);
  EXPECT_EQ(*store.count(), 1);
  EXPECT_FALSE(*store.get("D2"));
}

TEST(MemoryStore, FailedAttemptsCountPerAccount) {
  MemoryStore store;
  for (int i = 0; i < 3; ++i) {
    auto r = record("D" + std::to_string(i), "acct-1", "2026-12-01T00:00:00Z");
    r.failed_attempt = i != 1;
    append(store, r);
  }
  EXPECT_EQ(*store.failed_attempts("acct-1"), 2);
  EXPECT_EQ(*store.failed_attempts("acct-2"), 0);
}

TEST(MemoryStore, AnIdempotencyKeyRecordsOneDecision) {
  MemoryStore store;
  auto r = record("D1", "", "2026-12-01T00:00:00Z");
  r.idempotency = AuditRecord::Idempotency{"scope", "request"};
  EXPECT_EQ(append(store, r), Commit::Committed);
  r.decision_id = "D2";
  EXPECT_EQ(append(store, r), Commit::Repeated);
  auto remembered = store.idempotent("scope");
  ASSERT_TRUE(remembered && *remembered);
  EXPECT_EQ((*remembered)->decision_id, "D1");
}

TEST(MemoryStore, RangeReadsInSequenceOrderWithinTheTimeBounds) {
  MemoryStore store;
  append(store, record("D1", "a", "2026-12-01T00:00:00Z"));
  append(store, record("D2", "b", "2026-12-02T00:00:00Z"));
  append(store, record("D3", "a", "2026-12-03T00:00:00Z"));
  std::vector<std::string> seen;
  ASSERT_TRUE(store.range("2026-12-02T00:00:00Z", "2026-12-03T00:00:00Z",
                          [&seen](const StoredRecord& s) {
                            seen.push_back(s.record.decision_id);
                            return true;
                          }));
  EXPECT_EQ(seen, std::vector<std::string>{"D2"});
  auto page = store.account_records("a", 1, 10);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ(page->front().record.decision_id, "D3");
}
