// The hash chain, checked through the DecisionLog interface (here on the in-memory backend):
// an intact log verifies; an edited, removed or reordered record is named.
#include "store/chain.h"

#include <gtest/gtest.h>

#include "store/memory/memory_store.h"

using kyc::store::AuditRecord;
using kyc::store::StoredRecord;
using kyc::store::memory::MemoryStore;

namespace {

void fill(MemoryStore& store, int n) {
  for (int i = 1; i <= n; ++i) {
    AuditRecord r;
    r.decision_id = "D" + std::to_string(i);
    r.time = "2026-12-01T00:00:0" + std::to_string(i % 10) + "Z";
    r.facts = "{\"n\":" + std::to_string(i) + "}";
    r.decision = "{}";
    store.append(std::move(r), [](auto) {});
  }
}

StoredRecord stored(MemoryStore& store, const std::string& id) { return **store.get(id); }

}  // namespace

TEST(Chain, AnIntactLogVerifies) {
  MemoryStore store;
  fill(store, 5);
  int64_t last_checked = 0, last_total = 0;
  auto check = kyc::store::verify_chain(store, [&](int64_t checked, int64_t total) {
    last_checked = checked;
    last_total = total;
    return true;
  });
  EXPECT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.records, 5);
  EXPECT_EQ(last_checked, 5);
  EXPECT_EQ(last_total, 5);
}

TEST(Chain, AStoppedCheckIsNotOk) {
  MemoryStore store;
  fill(store, 5);
  auto check = kyc::store::verify_chain(store, [](int64_t checked, int64_t) { return checked < 2; });
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.problem, "stopped");
  EXPECT_EQ(check.records, 2);
}

TEST(Chain, AnEditedRecordIsNamed) {
  MemoryStore store;
  fill(store, 5);
  StoredRecord s = stored(store, "D3");
  s.record.facts = "{\"n\":300}";
  store.overwrite(s);
  auto check = kyc::store::verify_chain(store);
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.broken_seq, 3);
  EXPECT_EQ(check.broken_decision_id, "D3");
  EXPECT_NE(check.problem.find("edited"), std::string::npos) << check.problem;
}

TEST(Chain, AnEditWithItsHashRecomputedBreaksTheNextLink) {
  MemoryStore store;
  fill(store, 5);
  StoredRecord s = stored(store, "D2");
  s.record.facts = "{\"n\":200}";
  s.hash = kyc::store::chain_hash(s.prev_hash, kyc::store::canonical_bytes(s.seq, s.record));
  store.overwrite(s);
  auto check = kyc::store::verify_chain(store);
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.broken_seq, 3);
  EXPECT_NE(check.problem.find("prev_hash"), std::string::npos) << check.problem;
}
