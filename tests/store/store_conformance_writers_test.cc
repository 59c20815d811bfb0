// The conformance suite's writers: two stores opened on one place (two replicas of a service,
// or a service and `kyc accounts import`) append to one chain, each record once, and the checks
// that make a Conflict or a Repeated see what the other one committed; batches longer than the
// batch limit commit in order; results run where the deliver function says; and text that a
// careless SQL layer would mangle comes back byte for byte. The suite is instantiated in
// store_conformance_test.cc.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/store/store_conformance.h"

namespace kyc::store::conformance {

namespace {

// `text` as the content of a JSON string.
std::string json_escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

TEST_P(StoreConformance, TwoStoresOnOnePlaceAppendToOneChain) {
  OPEN_STORES(one);
  OPEN_STORES(two);
  constexpr int kEach = 40;
  auto records_of = [](const std::string& writer) {
    std::vector<AuditRecord> records;
    for (int i = 0; i < kEach; ++i)
      records.push_back(decision(writer + std::to_string(i),
                                 writer + "-acct-" + std::to_string(i % 4), i,
                                 i % 3 ? "approve" : "resubmit"));
    return records;
  };
  std::vector<Commit> from_one, from_two;
  std::thread a([&] { from_one = commit_all(*one.decisions, records_of("A")); });
  std::thread b([&] {
    from_two = commit_all(*two.decisions, records_of("B"));
    EXPECT_TRUE(two.accounts->set_primary(
        {"B-acct-1", "Ann Example", "1990-01-01", "DE", "passport", std::string(64, 'e')},
        "2026-12-05T11:00:00Z"));
  });
  a.join();
  b.join();
  for (Commit c : from_one) EXPECT_EQ(c, Commit::Committed);
  for (Commit c : from_two) EXPECT_EQ(c, Commit::Committed);

  auto all = all_records(*one.decisions);
  ASSERT_EQ(all.size(), static_cast<size_t>(2 * kEach + 1));
  std::set<std::string> seen;
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].seq, static_cast<int64_t>(i + 1));
    if (i) {
      EXPECT_EQ(all[i].prev_hash, all[i - 1].hash) << all[i].seq;
    }
    EXPECT_TRUE(seen.insert(all[i].record.decision_id).second) << all[i].record.decision_id;
  }
  EXPECT_EQ(one.decisions->head()->link, two.decisions->head()->link);
  auto check = verify(*two.decisions);
  ASSERT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.records, 2 * kEach + 1);
  EXPECT_EQ(check.rows, 8 + 1);  // the attempts of 8 accounts, one account
  EXPECT_EQ(*one.accounts->failed_attempts("A-acct-0"), 4);  // A0, A3, ... A39: i % 3 == 0
}

TEST_P(StoreConformance, TwoStoresOpeningANewPlaceAtOnceBothOpen) {
  // Two replicas started together on an empty database: both make (or find) the schema.
  kyc::common::Result<Stores> first = kyc::common::fail("not opened");
  kyc::common::Result<Stores> second = kyc::common::fail("not opened");
  std::thread a([&] { first = open_stores(where(), kOptions, &kKey); });
  std::thread b([&] { second = open_stores(where(), kOptions, &kKey); });
  a.join();
  b.join();
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_TRUE(second) << second.error().message;
  auto results = commit_all(*first->decisions, {decision("D1", "acct-1", 1)});
  auto more = commit_all(*second->decisions, {decision("D2", "acct-2", 2)});
  EXPECT_EQ(results[0], Commit::Committed);
  EXPECT_EQ(more[0], Commit::Committed);
  auto check = verify(*second->decisions);
  EXPECT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.records, 2);
  EXPECT_EQ(check.keyed_from, 1);
}

TEST_P(StoreConformance, ConflictsAndRepeatsSeeWhatAnotherStoreCommitted) {
  OPEN_STORES(one);
  OPEN_STORES(two);
  const std::string doc(64, 'c');
  EXPECT_EQ(commit(*one.decisions, approval("D1", "acct-a", doc, 0)), Commit::Committed);
  EXPECT_EQ(commit(*two.decisions, approval("D2", "acct-b", doc, 0)), Commit::Conflict);
  EXPECT_EQ(*two.accounts->other_accounts(doc, "acct-b"), 1);
  EXPECT_EQ(commit(*one.decisions, keyed("D3", "scope-1")), Commit::Committed);
  EXPECT_EQ(commit(*two.decisions, keyed("D4", "scope-1")), Commit::Repeated);
  auto remembered = two.decisions->idempotent("scope-1");
  ASSERT_TRUE(remembered && remembered->has_value());
  EXPECT_EQ((*remembered)->decision_id, "D3");
  EXPECT_EQ(*two.decisions->count(), 2);
  EXPECT_TRUE(verify(*one.decisions).ok);
}

TEST_P(StoreConformance, AWriteThatWaitsPastTheBusyTimeoutFailsAndTheStoreGoesOn) {
  AuditOptions impatient;
  impatient.busy_timeout = std::chrono::milliseconds(300);
  auto stores = open_stores(where(), impatient, &kKey);
  ASSERT_TRUE(stores) << stores.error().message;
  ASSERT_EQ(commit(*stores->decisions, decision("D1", "acct-1", 1)), Commit::Committed);

  auto lock = store_->hold_write_lock();
  ASSERT_TRUE(lock) << lock.error().message;
  // Let go once both writes have given up, or after 3 s whatever happens: a store that
  // ignored its timeout commits then.
  std::promise<void> gave_up;
  std::thread release([&lock, waiting = gave_up.get_future()] {
    waiting.wait_for(std::chrono::seconds(3));
    lock->reset();
  });
  auto start = std::chrono::steady_clock::now();
  Commit waited = commit(*stores->decisions, decision("D2", "acct-1", 2));
  auto took = std::chrono::steady_clock::now() - start;
  auto account = stores->accounts->set_primary(
      {"acct-1", "Ann Example", "1990-01-01", "DE", "passport", std::string(64, 'e')},
      "2026-12-05T11:00:00Z");
  auto account_took = std::chrono::steady_clock::now() - start - took;
  gave_up.set_value();
  release.join();
  EXPECT_EQ(waited, Commit::Failed);
  EXPECT_LT(took, std::chrono::milliseconds(2500));
  EXPECT_FALSE(account) << "an account change went through a held lock";
  EXPECT_LT(account_took, std::chrono::milliseconds(2500));

  // Nothing of the failed writes is left, and the next ones go through.
  ASSERT_EQ(commit(*stores->decisions, decision("D3", "acct-1", 3)), Commit::Committed);
  EXPECT_FALSE(stores->decisions->get("D2")->has_value());
  EXPECT_EQ(*stores->decisions->count(), 2);
  EXPECT_TRUE(stores->accounts->set_primary(
      {"acct-1", "Ann Example", "1990-01-01", "DE", "passport", std::string(64, 'e')},
      "2026-12-05T11:00:01Z"));
  auto check = verify(*stores->decisions);
  EXPECT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.records, 3);
}

TEST_P(StoreConformance, AStoreGoesOnAfterItsConnectionsAreEnded) {
  OPEN_STORES(stores);
  auto keys = open_keys('m');
  ASSERT_TRUE(keys) << keys.error().message;
  ASSERT_EQ(commit(*stores.decisions, decision("D1", "acct-1", 1)), Commit::Committed);
  ASSERT_TRUE((*keys)->data_key("acct-1", "t"));
  auto ended = store_->end_connections();
  ASSERT_TRUE(ended) << ended.error().message;
  // The first use of an ended connection may fail; the next ones work again. Each use says
  // why it failed ("" when it did not).
  auto twice = [](const char* what, auto use) {
    std::string first = use();
    if (first.empty()) return;
    std::string second = use();
    EXPECT_EQ(second, "") << what << " failed twice; the first time: " << first;
  };
  auto why = [](const auto& result) { return result ? std::string() : result.error().message; };
  twice("an append", [&] {
    Commit c = commit(*stores.decisions, decision("D2", "acct-1", 2));
    const char* names[] = {"Committed", "Failed", "Conflict", "Repeated"};
    return c == Commit::Committed ? std::string() : std::string("Commit::") + names[int(c)];
  });
  twice("count()", [&] { return why(stores.decisions->count()); });
  twice("failed_attempts()", [&] { return why(stores.accounts->failed_attempts("acct-1")); });
  twice("set_primary()", [&] {
    return why(stores.accounts->set_primary(
        {"acct-1", "Ann Example", "1990-01-01", "DE", "passport", std::string(64, 'e')},
        "2026-12-05T11:00:00Z"));
  });
  twice("find_data_key()", [&] { return why((*keys)->find_data_key("acct-1")); });
  ASSERT_EQ(commit(*stores.decisions, decision("D3", "acct-1", 3)), Commit::Committed);
  auto check = verify(*stores.decisions);
  EXPECT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.records, 4);  // D1, D2, the account change, D3
}

TEST_P(StoreConformance, BatchesLongerThanTheLimitCommitInOrder) {
  AuditOptions small;
  small.batch_max = 3;
  auto stores = open_stores(where(), small, &kKey);
  ASSERT_TRUE(stores) << stores.error().message;
  std::vector<AuditRecord> records;
  std::vector<std::string> want;
  for (int i = 0; i < 20; ++i) {
    records.push_back(decision("D" + std::to_string(i), "acct-" + std::to_string(i % 2), i));
    want.push_back("D" + std::to_string(i));
  }
  // One document twice in the same run of batches: the second approval must see the first.
  records[7].link = AuditRecord::DocumentLink{"doc", 0};
  records[8].link = AuditRecord::DocumentLink{"doc", 0};
  auto results = commit_all(*stores->decisions, records);
  for (int i = 0; i < 20; ++i)
    EXPECT_EQ(results[i], i == 8 ? Commit::Conflict : Commit::Committed) << i;
  want.erase(want.begin() + 8);
  EXPECT_EQ(ids(all_records(*stores->decisions)), want);
  EXPECT_TRUE(verify(*stores->decisions).ok);
}

TEST_P(StoreConformance, ResultsRunWhereTheDeliverFunctionSays) {
  OPEN_STORES(stores);
  std::atomic<int> handed{0};
  stores.decisions->deliver_results_with([&handed](std::function<void()> finish) {
    ++handed;
    finish();
  });
  EXPECT_EQ(commit(*stores.decisions, decision("D1", "acct-1", 1)), Commit::Committed);
  EXPECT_GE(handed.load(), 1);
  stores.decisions->deliver_results_with({});  // unset: results run where the backend commits
  int before = handed.load();
  EXPECT_EQ(commit(*stores.decisions, decision("D2", "acct-1", 2)), Commit::Committed);
  EXPECT_EQ(handed.load(), before);
}

TEST_P(StoreConformance, TextComesBackByteForByte) {
  OPEN_STORES(stores);
  // Quotes, backslashes, SQL, LIKE's wildcards, line breaks, non-ASCII and a long facts text.
  const std::string odd = "O'Brien \"Zoë\" \\ 名前 \t%_*?\n'); DROP TABLE decisions; --";
  const std::string quoted = json_escaped(odd);
  AuditRecord r = decision("D-odd", "acct_%'ü", 1);
  r.facts = R"({"person.name":")" + quoted + R"(","blob":")" + std::string(1 << 20, 'x') + R"("})";
  r.decision = R"({"outcome":"review","reasons":[],"undetermined":[],"note":")" + quoted + R"("})";
  ASSERT_EQ(commit(*stores.decisions, r), Commit::Committed);
  ASSERT_EQ(commit(*stores.decisions, decision("D-plain", "acctX'ü", 2)), Commit::Committed);

  auto got = stores.decisions->get("D-odd");
  ASSERT_TRUE(got && got->has_value());
  EXPECT_EQ((*got)->record.account_id, r.account_id);
  EXPECT_TRUE((*got)->record.facts == r.facts) << "the facts text changed";
  EXPECT_EQ((*got)->record.decision, r.decision);
  EXPECT_EQ(ids(*stores.decisions->account_records("acct_%'ü", 0, 10)),
            std::vector<std::string>{"D-odd"});
  DecisionQuery by_account;
  by_account.account_id = "acct_%'ü";  // matched as it is, not as a pattern
  EXPECT_EQ(ids(*stores.decisions->search(by_account)), std::vector<std::string>{"D-odd"});
  auto check = verify(*stores.decisions);
  EXPECT_TRUE(check.ok) << check.problem;
}

}  // namespace kyc::store::conformance
