// What the service relies on of a store, stated once and run against every backend through
// the backend-neutral opener (store/backend/open.h): records read back in sequence order; the keyed
// chain, and an edit behind the store's back breaking it; idempotency keys; the document's
// account limit; policy texts; activations; a read-only reader; a log that goes on after it is
// opened again, or is switched to keyed links. The suite's other files: the account store and
// the data keys (store_conformance_accounts_test.cc), search, counts and retention's questions
// (store_conformance_search_test.cc), several writers (store_conformance_writers_test.cc).
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "tests/store/store_conformance.h"

namespace kyc::store::conformance {

TEST_P(StoreConformance, RecordsReadBackInSequenceOrderWithTheirChainLinks) {
  OPEN_STORES(stores);
  DecisionLog& log = *stores.decisions;
  auto empty = log.head();
  ASSERT_TRUE(empty) << empty.error().message;
  EXPECT_EQ(empty->seq, 0);
  EXPECT_EQ(empty->link, kGenesisHash);
  EXPECT_EQ(*log.count(), 0);

  std::vector<AuditRecord> records;
  for (int i = 1; i <= 5; ++i) records.push_back(decision("D" + std::to_string(i), "acct-1", i));
  for (Commit c : commit_all(log, records)) EXPECT_EQ(c, Commit::Committed);

  auto got = log.get("D3");
  ASSERT_TRUE(got) << got.error().message;
  ASSERT_TRUE(got->has_value());
  const StoredRecord& d3 = **got;
  EXPECT_EQ(d3.seq, 3);
  for (auto [stored, sent] : {std::pair{&d3.record.decision_id, &records[2].decision_id},
                              {&d3.record.time, &records[2].time},
                              {&d3.record.account_id, &records[2].account_id},
                              {&d3.record.stage, &records[2].stage},
                              {&d3.record.facts, &records[2].facts},
                              {&d3.record.today, &records[2].today},
                              {&d3.record.policy_sha256, &records[2].policy_sha256},
                              {&d3.record.decision, &records[2].decision}})
    EXPECT_EQ(*stored, *sent);
  // The keyed chain states the attempts row the decision wrote.
  auto effects = parse_effects(d3.record.effects);
  ASSERT_TRUE(effects) << d3.record.effects;
  EXPECT_TRUE(std::any_of(effects->begin(), effects->end(), [](const auto& row) {
    return row.table == "attempts" && row.key == "acct-1" && !row.digest.empty();
  })) << d3.record.effects;
  auto missing = log.get("no-such-decision");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());

  auto all = all_records(log);
  EXPECT_EQ(ids(all), (std::vector<std::string>{"D1", "D2", "D3", "D4", "D5"}));
  std::string prev = kGenesisHash;
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ(all[i].prev_hash, prev) << all[i].seq;
    EXPECT_EQ(all[i].hash.size(), 64u);
    prev = all[i].hash;
  }
  // from <= time < to; and a visit that returns false ends the walk.
  EXPECT_EQ(ids(all_records(log, records[1].time, records[3].time)),
            (std::vector<std::string>{"D2", "D3"}));
  std::vector<std::string> first_two;
  ASSERT_TRUE(log.range("", "", [&](const StoredRecord& s) {
    first_two.push_back(s.record.decision_id);
    return first_two.size() < 2;
  }));
  EXPECT_EQ(first_two, (std::vector<std::string>{"D1", "D2"}));

  auto head = log.head();
  ASSERT_TRUE(head);
  EXPECT_EQ(head->seq, 5);
  EXPECT_EQ(head->link, all.back().hash);
  EXPECT_EQ(head->time, records.back().time);
  EXPECT_EQ(*log.count(), 5);
}

TEST_P(StoreConformance, TheKeyedChainVerifiesOverDecisionsAndAccountChanges) {
  OPEN_STORES(stores);
  // D3 and D6 link documents; three accounts gain attempts; one account gets primary data.
  std::vector<AuditRecord> records;
  for (int i = 1; i <= 6; ++i) {
    AuditRecord r = decision("D" + std::to_string(i), "acct-" + std::to_string(i % 3), i,
                             i % 2 ? "resubmit" : "approve");
    if (i % 3 == 0) r.link = AuditRecord::DocumentLink{std::string(63, 'd') + std::to_string(i), 0};
    records.push_back(r);
  }
  for (Commit c : commit_all(*stores.decisions, records)) EXPECT_EQ(c, Commit::Committed);
  auto check = verify(*stores.decisions);
  ASSERT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.records, 6);

  ASSERT_TRUE(stores.accounts->set_primary(
      {"acct-1", "Ann Example", "1990-01-01", "DE", "passport", std::string(64, 'e')},
      "2026-12-05T11:00:00Z"));
  check = verify(*stores.decisions);
  ASSERT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.records, 7);
  EXPECT_EQ(check.keyed_from, 1);
  EXPECT_EQ(check.key_id, kKey.id());
  EXPECT_EQ(check.rows, 2 + 3 + 1);  // links of D3 and D6, attempts of 3 accounts, 1 account
  auto all = all_records(*stores.decisions);
  ASSERT_EQ(all.size(), 7u);
  EXPECT_EQ(all.back().record.stage, kAccountChangeStage);
  // The chained account record names the account by digest only: no personal data in it.
  EXPECT_EQ((all.back().record.decision + all.back().record.effects).find("Ann Example"),
            std::string::npos);
  auto scheme = stores.decisions->chain_scheme();
  ASSERT_TRUE(scheme);
  EXPECT_EQ(scheme->keyed_from, 1);
  EXPECT_EQ(scheme->key_id, kKey.id());

  // Without the key, or with another one, the check fails and names the log's key.
  auto without = verify(*stores.decisions, nullptr);
  EXPECT_FALSE(without.ok);
  EXPECT_NE(without.problem.find(kKey.id()), std::string::npos) << without.problem;
  EXPECT_FALSE(verify(*stores.decisions, &kOtherKey).ok);
}

TEST_P(StoreConformance, ARowEditedBehindTheStoresBackBreaksTheChain) {
  {
    OPEN_STORES(stores);
    for (int i = 1; i <= 4; ++i)
      ASSERT_EQ(
          commit(*stores.decisions, approval("D" + std::to_string(i), "acct-" + std::to_string(i),
                                             std::string(60, 'f') + std::to_string(1000 + i), 0)),
          Commit::Committed);
  }
  auto reader = open_log_read_only(where());
  ASSERT_TRUE(reader) << reader.error().message;
  ASSERT_TRUE(verify(**reader).ok);
  auto original = (**reader).get("D2");
  ASSERT_TRUE(original && original->has_value());

  execute_behind_the_store(
      R"(UPDATE decisions SET decision = '{"outcome":"reject"}' WHERE seq = 2)");
  auto edited = verify(**reader);
  EXPECT_FALSE(edited.ok);
  EXPECT_EQ(edited.broken_seq, 2) << edited.problem;
  EXPECT_EQ(edited.broken_decision_id, "D2") << edited.problem;

  // Put back as it was, the chain holds again: it was the edit that broke it.
  execute_behind_the_store("UPDATE decisions SET decision = '" + (*original)->record.decision +
                           "' WHERE seq = 2");
  ASSERT_TRUE(verify(**reader).ok);

  // The account tables are covered too: a link removed outside the service is found.
  execute_behind_the_store("DELETE FROM document_links WHERE decision_id = 'D3'");
  auto unlinked = verify(**reader);
  EXPECT_FALSE(unlinked.ok);
  EXPECT_NE(unlinked.problem.find("outside the service"), std::string::npos) << unlinked.problem;
}

TEST_P(StoreConformance, AnIdempotencyKeyRecordsOneDecisionAndRemembersIt) {
  OPEN_STORES(stores);
  DecisionLog& log = *stores.decisions;
  EXPECT_EQ(commit(log, keyed("D1", "scope-1")), Commit::Committed);
  EXPECT_EQ(commit(log, keyed("D2", "scope-1")), Commit::Repeated);
  auto remembered = log.idempotent("scope-1");
  ASSERT_TRUE(remembered) << remembered.error().message;
  ASSERT_TRUE(remembered->has_value());
  EXPECT_EQ((*remembered)->decision_id, "D1");
  EXPECT_EQ((*remembered)->request_sha256, "request-of-D1");
  EXPECT_FALSE(log.idempotent("scope-unknown")->has_value());
  EXPECT_FALSE(log.get("D2")->has_value());  // a repeat is not recorded

  // Two requests with one key in flight at once: one decision, whichever comes first.
  auto both = commit_all(log, {keyed("D3", "scope-2"), keyed("D4", "scope-2")});
  EXPECT_EQ(std::count(both.begin(), both.end(), Commit::Committed), 1);
  EXPECT_EQ(std::count(both.begin(), both.end(), Commit::Repeated), 1);
  auto second = log.idempotent("scope-2");
  ASSERT_TRUE(second && second->has_value());
  EXPECT_EQ((*second)->decision_id, both[0] == Commit::Committed ? "D3" : "D4");
  EXPECT_EQ(*log.count(), 2);

  // A key is kept for 24 hours from its decision: after that, the same key decides anew.
  EXPECT_EQ(commit(log, keyed("D5", "scope-3", 48)), Commit::Committed);
  EXPECT_FALSE(log.idempotent("scope-3")->has_value());
  EXPECT_EQ(commit(log, keyed("D6", "scope-3")), Commit::Committed);
  EXPECT_EQ((*log.idempotent("scope-3"))->decision_id, "D6");
  EXPECT_EQ(*log.count(), 4);
  EXPECT_EQ(*stores.accounts->failed_attempts("acct-1"), 0);
  EXPECT_TRUE(verify(log).ok);
}

TEST_P(StoreConformance, ADocumentLinkedMeanwhileMakesTheApprovalAConflict) {
  OPEN_STORES(stores);
  DecisionLog& log = *stores.decisions;
  const std::string doc(64, 'c');
  EXPECT_EQ(commit(log, approval("D1", "acct-a", doc, 0)), Commit::Committed);
  // acct-b's decision read the document before acct-a's approval linked it.
  EXPECT_EQ(commit(log, approval("D2", "acct-b", doc, 0)), Commit::Conflict);
  EXPECT_FALSE(log.get("D2")->has_value());
  EXPECT_EQ(*log.count(), 1);
  EXPECT_EQ(*stores.accounts->other_accounts(doc, "acct-b"), 1);
  EXPECT_TRUE(log.account_records("acct-b", 0, 10)->empty());
  // Decided again with what is there now, it is recorded.
  EXPECT_EQ(commit(log, approval("D3", "acct-b", doc, 1)), Commit::Committed);
  EXPECT_EQ(*stores.accounts->other_accounts(doc, "acct-c"), 2);

  // Two approvals of another document in flight at once: never both.
  const std::string other(64, 'b');
  auto both =
      commit_all(log, {approval("D4", "acct-c", other, 0), approval("D5", "acct-d", other, 0)});
  EXPECT_EQ(std::count(both.begin(), both.end(), Commit::Committed), 1);
  EXPECT_EQ(std::count(both.begin(), both.end(), Commit::Conflict), 1);
  EXPECT_EQ(*stores.accounts->other_accounts(other, "acct-x"), 1);
  EXPECT_EQ(*log.count(), 3);
  auto check = verify(log);  // nothing of a conflicted decision is left in the tables
  EXPECT_TRUE(check.ok) << check.problem;
}

TEST_P(StoreConformance, APolicysTextAndFilesAreKeptWithItsFirstRecord) {
  OPEN_STORES(stores);
  DecisionLog& log = *stores.decisions;
  AuditRecord r = decision("D1", "acct-1", 1);
  r.policy_sha256 = std::string(64, 'p');
  r.policy_text = std::make_shared<const std::string>("policy kyc v7 {\n  let x = 1\n}\n");
  r.policy_files = std::make_shared<const std::vector<PolicyFile>>(
      std::vector<PolicyFile>{{"lists/sanctioned.txt", std::string(64, '1'), "A\nB\n"},
                              {"tables/fees.csv", std::string(64, '2'), "k,v\n"}});
  ASSERT_EQ(commit(log, r), Commit::Committed);
  AuditRecord plain = decision("D2", "acct-1", 2);
  plain.policy_sha256 = std::string(64, 'q');
  plain.policy_text = std::make_shared<const std::string>("policy kyc v8 {}\n");
  ASSERT_EQ(commit(log, plain), Commit::Committed);

  auto text = log.policy_text(std::string(64, 'p'));
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(text->value_or("(none)"), *r.policy_text);
  auto files = log.policy_files(std::string(64, 'p'));
  ASSERT_TRUE(files) << files.error().message;
  std::sort(files->begin(), files->end(), [](auto& a, auto& b) { return a.path < b.path; });
  ASSERT_EQ(files->size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ((*files)[i].path, (*r.policy_files)[i].path);
    EXPECT_EQ((*files)[i].sha256, (*r.policy_files)[i].sha256);
    EXPECT_EQ((*files)[i].content, (*r.policy_files)[i].content);
  }
  EXPECT_EQ(log.policy_text(std::string(64, 'q'))->value_or(""), *plain.policy_text);
  EXPECT_TRUE(log.policy_files(std::string(64, 'q'))->empty());
  EXPECT_FALSE(log.policy_text(std::string(64, 'z'))->has_value());
  EXPECT_TRUE(log.policy_files(std::string(64, 'z'))->empty());
}

TEST_P(StoreConformance, ActivationsAreListedOldestFirstAndNeverAsDecisions) {
  OPEN_STORES(stores);
  DecisionLog& log = *stores.decisions;
  auto activation = [](const std::string& id, int second) {
    AuditRecord r = decision(id, "", second);
    r.stage = kActivationStage;
    r.facts = "{}";
    r.decision = R"({"version":")" + id + R"(","sha256":"sha-b","trigger":"start","by":""})";
    r.failed_attempt = false;
    return r;
  };
  for (Commit c : commit_all(log, {decision("D1", "acct-1", 1), activation("A1", 2),
                                   decision("D2", "acct-1", 3), activation("A2", 4)}))
    ASSERT_EQ(c, Commit::Committed);
  auto listed = log.activations();
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_EQ(ids(*listed), (std::vector<std::string>{"A1", "A2"}));
  EXPECT_EQ((*listed)[0].seq, 2);
  EXPECT_EQ((*listed)[1].record.decision, activation("A2", 4).decision);
  auto rows = log.search({});
  ASSERT_TRUE(rows) << rows.error().message;
  EXPECT_EQ(ids(*rows), (std::vector<std::string>{"D2", "D1"}));
}

TEST_P(StoreConformance, AnAccountsRecordsComePageByPageOldestFirst) {
  OPEN_STORES(stores);
  std::vector<AuditRecord> records;
  for (int i = 0; i < 10; ++i)
    records.push_back(decision("D" + std::to_string(i), i % 2 ? "acct-y" : "acct-x", i));
  for (Commit c : commit_all(*stores.decisions, records)) ASSERT_EQ(c, Commit::Committed);
  std::vector<std::string> paged;
  std::vector<size_t> sizes;
  for (int64_t after = 0;;) {
    auto page = stores.decisions->account_records("acct-x", after, 2);
    ASSERT_TRUE(page) << page.error().message;
    sizes.push_back(page->size());
    if (page->empty()) break;
    for (const auto& s : *page) {
      EXPECT_GT(s.seq, after);
      EXPECT_EQ(s.record.account_id, "acct-x");
      after = s.seq;
    }
    auto got = ids(*page);
    paged.insert(paged.end(), got.begin(), got.end());
  }
  EXPECT_EQ(paged, (std::vector<std::string>{"D0", "D2", "D4", "D6", "D8"}));
  EXPECT_EQ(sizes, (std::vector<size_t>{2, 2, 1, 0}));
  EXPECT_TRUE(stores.decisions->account_records("acct-nobody", 0, 10)->empty());
}

TEST_P(StoreConformance, AReadOnlyLogReadsTheSameRecordsAndWritesNothing) {
  auto before = log_exists(where());
  ASSERT_TRUE(before) << before.error().message;
  EXPECT_FALSE(*before);
  EXPECT_FALSE(open_log_read_only(where()));  // no log there yet: an error...
  EXPECT_FALSE(*log_exists(where()));         // ...and nothing made
  OPEN_STORES(stores);
  for (Commit c : commit_all(*stores.decisions, {approval("D1", "acct-1", std::string(64, 'e'), 0),
                                                 decision("D2", "acct-2", 2, "review")}))
    ASSERT_EQ(c, Commit::Committed);
  ASSERT_TRUE(stores.accounts->set_primary(
      {"acct-1", "Ann Example", "1990-01-01", "DE", "passport", std::string(64, 'e')},
      "2026-12-05T11:00:00Z"));
  EXPECT_TRUE(*log_exists(where()));

  auto reader = open_log_read_only(where());
  ASSERT_TRUE(reader) << reader.error().message;
  auto written = all_records(*stores.decisions), read = all_records(**reader);
  ASSERT_EQ(read.size(), 3u);
  ASSERT_EQ(read.size(), written.size());
  for (size_t i = 0; i < read.size(); ++i) {
    EXPECT_EQ(read[i].seq, written[i].seq);
    EXPECT_EQ(read[i].record.decision_id, written[i].record.decision_id);
    EXPECT_EQ(read[i].record.decision, written[i].record.decision);
    EXPECT_EQ(read[i].record.effects, written[i].record.effects);
    EXPECT_EQ(read[i].hash, written[i].hash);
  }
  EXPECT_EQ(ids(*(**reader).account_records("acct-2", 0, 10)), std::vector<std::string>{"D2"});
  EXPECT_EQ((**reader).head()->link, stores.decisions->head()->link);
  auto check = verify(**reader);
  EXPECT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.rows, 1 + 2 + 1);  // D1's link, two attempts rows, one account

  EXPECT_EQ(commit(**reader, decision("D9", "acct-9", 9)), Commit::Failed);
  EXPECT_EQ(*stores.decisions->count(), 3);
  // What the service writes later, the reader sees.
  ASSERT_EQ(commit(*stores.decisions, decision("D3", "acct-3", 3)), Commit::Committed);
  EXPECT_EQ(*(**reader).count(), 4);
  EXPECT_TRUE((**reader).get("D3")->has_value());
  EXPECT_FALSE((**reader).get("D9")->has_value());
}

TEST_P(StoreConformance, AStoreOpenedAgainContinuesItsChain) {
  const std::string doc(64, 'e');
  {
    OPEN_STORES(stores);
    for (Commit c : commit_all(*stores.decisions,
                               {approval("D1", "acct-1", doc, 0), decision("D2", "acct-2", 2),
                                decision("D3", "acct-3", 3, "resubmit")}))
      ASSERT_EQ(c, Commit::Committed);
    ASSERT_TRUE(stores.accounts->set_primary(
        {"acct-1", "Ann Example", "1990-01-01", "DE", "passport", doc}, "2026-12-05T11:00:00Z"));
  }
  {
    OPEN_STORES(again);
    auto head = again.decisions->head();
    ASSERT_TRUE(head) << head.error().message;
    EXPECT_EQ(head->seq, 4);
    for (Commit c : commit_all(*again.decisions, {decision("D4", "acct-1", 4, "reject"),
                                                  decision("D5", "acct-4", 5)}))
      ASSERT_EQ(c, Commit::Committed);
    auto all = all_records(*again.decisions);
    ASSERT_EQ(all.size(), 6u);
    EXPECT_EQ(all[4].record.decision_id, "D4");
    EXPECT_EQ(all[4].seq, 5);
    EXPECT_EQ(all[4].prev_hash, head->link);
    for (const auto& s : all)  // opened again with its key: no second switch
      EXPECT_NE(s.record.stage, kChainSchemeStage) << s.seq;
    auto check = verify(*again.decisions);
    ASSERT_TRUE(check.ok) << check.problem;
    EXPECT_EQ(check.records, 6);
    EXPECT_EQ(check.keyed_from, 1);
    // The account tables were kept too.
    auto reading = again.accounts->read_for_decision("acct-1", doc);
    ASSERT_TRUE(reading && reading->primary);
    EXPECT_EQ(reading->primary->full_name, "Ann Example");
    EXPECT_EQ(reading->failed_attempts, 1);
    EXPECT_EQ(*again.accounts->other_accounts(doc, "acct-9"), 1);
  }
  // Nor does a service start on it with another chain key: the error names the log's key.
  auto other = open_stores(where(), kOptions, &kOtherKey);
  ASSERT_FALSE(other);
  EXPECT_NE(other.error().message.find(kKey.id()), std::string::npos) << other.error().message;
  auto reader = open_log_read_only(where());
  ASSERT_TRUE(reader);
  EXPECT_EQ(verify(**reader).records, 6);
}

TEST_P(StoreConformance, APlainLogOpenedWithTheKeySwitchesToKeyedLinksOnce) {
  {
    auto plain = open_stores(where(), kOptions, nullptr);  // as kycd did before keyed chains
    ASSERT_TRUE(plain) << plain.error().message;
    for (Commit c : commit_all(*plain->decisions,
                               {decision("D1", "acct-1", 1), approval("D2", "acct-2", "doc", 0)}))
      ASSERT_EQ(c, Commit::Committed);
    EXPECT_TRUE(verify(*plain->decisions, nullptr).ok);
  }
  for (int open = 0; open < 2; ++open) {  // the second open finds the switch made
    OPEN_STORES(keyed);
    ASSERT_EQ(commit(*keyed.decisions, decision("D" + std::to_string(3 + open), "acct-1", 3)),
              Commit::Committed);
  }
  auto reader = open_log_read_only(where());
  ASSERT_TRUE(reader) << reader.error().message;
  auto check = verify(**reader);
  ASSERT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.records, 5);  // 2 plain, the switch, 2 keyed
  EXPECT_EQ(check.keyed_from, 3);
  auto all = all_records(**reader);
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[2].record.stage, kChainSchemeStage);
  // The switch stated the rows the plain part wrote: changing one is found.
  execute_behind_the_store("UPDATE attempts SET failed = 5 WHERE account_id = 'acct-2'");
  EXPECT_FALSE(verify(**reader).ok);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreConformance, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace kyc::store::conformance
