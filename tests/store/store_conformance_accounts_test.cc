// The conformance suite's account side: what a decision reads of its account (one read saying
// what the three separate reads say), accounts imported before the log exists, with or without
// the chain key, taken into the chain, and the per-account data keys (made once, erased for
// good, re-wrapped all at once). The suite is instantiated in store_conformance_test.cc.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>

#include "tests/store/store_conformance.h"

namespace kyc::store::conformance {

TEST_P(StoreConformance, AReadForADecisionSaysWhatTheThreeReadsSay) {
  OPEN_STORES(stores);
  AccountStore& accounts = *stores.accounts;
  ASSERT_TRUE(
      accounts.set_primary_batch({{"a1", "ANNA MUSTER", "1990-01-02", "DEU", "passport", "hash-a1"},
                                  {"a2", "BEN MUSTER", "1985-03-04", "AUT", "id_card", "hash-doc"}},
                                 "2026-12-05T00:00:00Z"));
  // doc: linked to a2 and a3 by approvals; a1 failed twice; a4 has nothing at all.
  for (Commit c :
       commit_all(*stores.decisions,
                  {approval("D1", "a2", "doc", 0), approval("D2", "a3", "doc", 1),
                   decision("D3", "a1", 3, "resubmit"), decision("D4", "a1", 4, "reject")}))
    ASSERT_EQ(c, Commit::Committed);

  for (std::string account : {"a1", "a2", "a3", "a4"})
    for (auto document : {std::optional<std::string>(), std::optional<std::string>("doc"),
                          std::optional<std::string>("unknown")}) {
      SCOPED_TRACE(account + " / " + document.value_or("no document"));
      auto one = accounts.read_for_decision(account, document);
      auto three = accounts.AccountStore::read_for_decision(account, document);
      ASSERT_TRUE(one) << one.error().message;
      ASSERT_TRUE(three) << three.error().message;
      EXPECT_EQ(one->other_accounts, three->other_accounts);
      EXPECT_EQ(one->failed_attempts, three->failed_attempts);
      ASSERT_EQ(one->primary.has_value(), three->primary.has_value());
      if (one->primary) {
        EXPECT_EQ(one->primary->full_name, three->primary->full_name);
        EXPECT_EQ(one->primary->document_hash, three->primary->document_hash);
      }
    }
  auto a1 = accounts.read_for_decision("a1", std::string("doc"));
  ASSERT_TRUE(a1 && a1->primary);
  EXPECT_EQ(a1->other_accounts, 2);
  EXPECT_EQ(a1->failed_attempts, 2);
  EXPECT_EQ(a1->primary->account_id, "a1");
  EXPECT_EQ(a1->primary->full_name, "ANNA MUSTER");
  EXPECT_EQ(a1->primary->birth_date, "1990-01-02");
  EXPECT_EQ(a1->primary->country, "DEU");
  EXPECT_EQ(a1->primary->document_type, "passport");
  EXPECT_EQ(a1->primary->document_hash, "hash-a1");
  auto a2 = accounts.read_for_decision("a2", std::string("doc"));
  EXPECT_EQ(a2->other_accounts, 1);
  EXPECT_EQ(a2->failed_attempts, 0);
  auto a4 = accounts.read_for_decision("a4", std::nullopt);
  EXPECT_FALSE(a4->primary);
  EXPECT_EQ(a4->other_accounts, 0);
  // Replaced, not added to.
  ASSERT_TRUE(accounts.set_primary({"a1", "ANNA NEU", "1990-01-02", "DEU", "passport", "hash-a1"},
                                   "2026-12-05T01:00:00Z"));
  EXPECT_EQ((*accounts.primary("a1"))->full_name, "ANNA NEU");
  EXPECT_TRUE(verify(*stores.decisions).ok);
}

TEST_P(StoreConformance, AccountsImportedBeforeTheLogAreInItsChain) {
  {
    // `kyc accounts import` into a new place: the account store alone, before any service.
    auto accounts = open_accounts(where(), std::chrono::milliseconds(5000), &kKey);
    ASSERT_TRUE(accounts) << accounts.error().message;
    ASSERT_TRUE((*accounts)->set_primary_batch(
        {{"a1", "ANNA MUSTER", "1990-01-02", "DEU", "passport", "hash-a1"},
         {"a2", "BEN MUSTER", "1985-03-04", "AUT", "id_card", "hash-a2"}},
        "2026-12-05T00:00:00Z"));
    auto reading = (*accounts)->read_for_decision("a2", std::string("hash-a2"));
    ASSERT_TRUE(reading) << reading.error().message;
    ASSERT_TRUE(reading->primary);
    EXPECT_EQ(reading->primary->full_name, "BEN MUSTER");
  }
  OPEN_STORES(stores);
  EXPECT_EQ((*stores.accounts->primary("a1"))->full_name, "ANNA MUSTER");
  EXPECT_FALSE(stores.accounts->primary("nobody")->has_value());
  EXPECT_EQ(*stores.accounts->failed_attempts("nobody"), 0);
  ASSERT_TRUE(stores.accounts->set_primary_batch({}, "2026-12-05T00:00:01Z"));  // a no-op
  EXPECT_EQ(*stores.decisions->count(), 1);  // the import's account change
  ASSERT_EQ(commit(*stores.decisions, decision("D1", "a1", 1)), Commit::Committed);
  auto check = verify(*stores.decisions);
  ASSERT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.rows, 2 + 1);  // two accounts, one attempts row
  execute_behind_the_store("UPDATE accounts SET country = 'FRA' WHERE account_id = 'a2'");
  EXPECT_FALSE(verify(*stores.decisions).ok);
}

TEST_P(StoreConformance, AccountsImportedWithoutAChainKeyAreStatedWhenTheChainIsKeyed) {
  {
    // An import before the first `kyc serve` made the chain key: no key to chain them with.
    auto accounts = open_accounts(where(), std::chrono::milliseconds(5000), nullptr);
    ASSERT_TRUE(accounts) << accounts.error().message;
    ASSERT_TRUE((*accounts)->set_primary_batch(
        {{"a1", "ANNA MUSTER", "1990-01-02", "DEU", "passport", "hash-a1"},
         {"a2", "BEN MUSTER", "1985-03-04", "AUT", "id_card", "hash-a2"}},
        "2026-12-05T00:00:00Z"));
  }
  OPEN_STORES(stores);  // the service, with its key, takes the rows it finds into the chain
  ASSERT_EQ(commit(*stores.decisions, decision("D1", "a1", 1)), Commit::Committed);
  auto check = verify(*stores.decisions);
  ASSERT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.rows, 2 + 1);  // two accounts, one attempts row
  execute_behind_the_store("DELETE FROM accounts WHERE account_id = 'a2'");
  EXPECT_FALSE(verify(*stores.decisions).ok);
}

TEST_P(StoreConformance, ADataKeyIsMadeOnceErasedForGoodAndRewrappedAllAtOnce) {
  std::string first;
  {
    auto keys = open_keys('m');
    ASSERT_TRUE(keys) << keys.error().message;
    auto lookup = (*keys)->find_data_key("acct-1");
    ASSERT_TRUE(lookup) << lookup.error().message;
    EXPECT_EQ(lookup->state, DataKeyLookup::State::never_created);  // reading makes none
    auto made = (*keys)->data_key("acct-1", "2026-12-05T10:00:00Z");
    ASSERT_TRUE(made) << made.error().message;
    first = std::string(made->bytes());
    EXPECT_EQ((*keys)->data_key("acct-1", "later")->bytes(), first);
    EXPECT_NE((*keys)->data_key("acct-2", "later")->bytes(), first);  // one key per account
  }
  auto opened = open_keys('m');
  ASSERT_TRUE(opened) << opened.error().message;
  auto& keys = **opened;
  auto kept = keys.find_data_key("acct-1");
  ASSERT_TRUE(kept && kept->state == DataKeyLookup::State::present && kept->key);
  EXPECT_EQ(kept->key->bytes(), first);

  auto erasure = keys.erase("acct-2", "2026-12-06T09:00:00Z");
  ASSERT_TRUE(erasure) << erasure.error().message;
  EXPECT_EQ(erasure->outcome, Erasure::Outcome::key_destroyed);
  auto erased = keys.find_data_key("acct-2");
  ASSERT_TRUE(erased);
  EXPECT_EQ(erased->state, DataKeyLookup::State::erased);
  EXPECT_EQ(erased->erased_at, "2026-12-06T09:00:00Z");
  EXPECT_FALSE(erased->key);
  auto again = keys.data_key("acct-2", "2026-12-07T00:00:00Z");
  ASSERT_FALSE(again);  // no new key made behind the erasure
  EXPECT_NE(again.error().message.find("erased at 2026-12-06T09:00:00Z"), std::string::npos)
      << again.error().message;
  auto twice = keys.erase("acct-2", "2026-12-08T00:00:00Z");
  ASSERT_TRUE(twice);
  EXPECT_EQ(twice->outcome, Erasure::Outcome::already_erased);
  EXPECT_EQ(twice->erased_at, "2026-12-06T09:00:00Z");
  auto unheld = keys.erase("never-seen", "2026-12-06T10:00:00Z");
  ASSERT_TRUE(unheld);
  EXPECT_EQ(unheld->outcome, Erasure::Outcome::no_key_held);
  EXPECT_EQ(keys.find_data_key("never-seen")->state, DataKeyLookup::State::erased);

  // Many at once (a bulk import), all or none: an erased account among them fails the batch.
  auto batch = keys.data_keys({"b1", "b2"}, "t");
  ASSERT_TRUE(batch) << batch.error().message;
  ASSERT_EQ(batch->size(), 2u);
  EXPECT_EQ(keys.data_key("b2", "t")->bytes(), (*batch)[1].bytes());
  EXPECT_NE((*batch)[0].bytes(), (*batch)[1].bytes());
  EXPECT_FALSE(keys.data_keys({"b3", "acct-2"}, "t"));
  EXPECT_EQ(keys.find_data_key("b3")->state, DataKeyLookup::State::never_created);

  std::string third(keys.data_key("acct-3", "t")->bytes());
  auto rewrapped = keys.rewrap_all(master_of('n'));
  ASSERT_TRUE(rewrapped) << rewrapped.error().message;
  EXPECT_EQ(*rewrapped, 4u);  // acct-1, acct-3, b1, b2: an erased account has no key left
  EXPECT_EQ(keys.data_key("acct-1", "t")->bytes(), first);  // the store moved on to n
  auto with_new = open_keys('n');
  ASSERT_TRUE(with_new);
  EXPECT_EQ((*with_new)->find_data_key("acct-1")->key->bytes(), first);
  EXPECT_EQ((*with_new)->find_data_key("acct-3")->key->bytes(), third);
  EXPECT_EQ((*with_new)->find_data_key("acct-2")->state, DataKeyLookup::State::erased);
  auto with_old = open_keys('m');
  ASSERT_TRUE(with_old);
  auto old = (*with_old)->find_data_key("acct-1");
  ASSERT_FALSE(old);  // and the error names the key it needs
  EXPECT_NE(old.error().message.find(master_of('n')->key_id()), std::string::npos)
      << old.error().message;
}

}  // namespace kyc::store::conformance
