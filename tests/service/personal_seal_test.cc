// Personal facts sealed in the record under the account's data key, opened for readers, and
// unreadable after an erasure, while replay still checks what does not read them
// (service/personal_seal.h, docs/personal-data.md). On the in-memory stores.
#include "service/personal_seal.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>

#include "service/decisions.h"
#include "service/replay.h"
#include "service/sealed_accounts.h"
#include "store/master_key.h"
#include "store/memory/account_keys.h"
#include "store/memory/memory_store.h"
#include "tests/temp_dir.h"

using kyc::service::Decisions;
using kyc::service::NotDecided;
using kyc::service::PersonalSeal;
using kyc::service::Recorded;
using kyc::store::memory::MemoryStore;

namespace {

constexpr const char* kPolicy = R"(policy "t" {
  version "1"
  locales en
  on missing review
}
facts {
  document.name : string?
  document.number : string?
  document.expiry : date
  primary.name : string?
  employer : string? personal
  today : date
}
reason DOC_EXPIRED {
  outcome resubmit
  when document.expiry < today
  message en { title "Expired" detail "Expired on {document.expiry}." action "Use a valid one." }
}
reason NAME_MISMATCH {
  outcome review
  when document.name != primary.name
  message en { title "Name" detail "The document says {document.name}." action "Check it." }
}
reason EMPLOYER_LISTED {
  outcome review
  when employer == "ACME SHELL LTD"
  message en { title "Employer" detail "Works at {employer}." action "Wait." }
}
)";

const char* kFacts = R"({"document": {"name": "MUELLER ANNA", "number": "C01X00T47",
  "expiry": "2020-01-01"}, "employer": "ACME SHELL LTD"})";

struct Fixture {
  kyc::test_support::TempDir dir{"kyc-seal"};
  MemoryStore store;
  kyc::store::DocumentKey key = *kyc::store::DocumentKey::load_or_create(dir.file("doc.key"));
  kyc::store::memory::MemoryAccountKeys keys{
      std::shared_ptr<const kyc::store::MasterKey>(
          *kyc::store::FileMasterKey::from_bytes(std::string(32, 'm')))};
  PersonalSeal seal{keys, key};
  kyc::service::SealedAccountStore accounts{store, seal};
  std::unique_ptr<kyc::service::PolicyStore> policies;
  std::unique_ptr<Decisions> decisions;

  Fixture() {
    std::ofstream(dir.file("t.policy")) << kPolicy;
    policies = std::make_unique<kyc::service::PolicyStore>(dir.path.string(), "t.policy");
    EXPECT_TRUE(policies->reload()) << policies->last_error();
    decisions = std::make_unique<Decisions>(
        *policies, kyc::service::Stores{&store, &accounts, &key, {}, nullptr, nullptr, &seal});
  }

  Recorded run(const std::string& facts_json, const std::string& account, bool admin = false) {
    auto facts = boost::json::parse(facts_json).as_object();
    std::optional<Recorded> out;
    decisions->decide_and_record(
        [&] { return decisions->decide({facts, account, "en", "evaluate", admin}); }, {},
        [&out](Recorded r) { out = std::move(r); });
    EXPECT_TRUE(out);
    return std::move(*out);
  }
  kyc::store::StoredRecord stored(const Recorded& r) {
    auto s = store.get(r.decision->decision_id);
    EXPECT_TRUE(s && *s);
    return **s;
  }
};

bool has(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

}  // namespace

TEST(PersonalSeal, ARecordKeepsNoPersonalValueAndReplaysExactly) {
  Fixture f;
  // Another name on file: NAME_MISMATCH fires, and its message quotes the document's name.
  ASSERT_TRUE(f.accounts.set_primary({"acct-1", "SOMEONE ELSE", "1985-03-02", "DEU", "passport", ""},
                                     "2026-12-05T00:00:00Z"));
  auto r = f.run(kFacts, "acct-1");
  ASSERT_TRUE(r.decision) << r.decision.error().detail;
  // The caller hears the name; the log does not keep it, in the facts or in the messages.
  EXPECT_TRUE(has(r.decision->decision_json, "MUELLER ANNA"));
  auto s = f.stored(r);
  for (const char* value : {"MUELLER", "C01X00T47", "ACME", "SOMEONE"}) {
    EXPECT_FALSE(has(s.record.facts, value)) << value;
    EXPECT_FALSE(has(s.record.decision, value)) << value;
  }
  EXPECT_TRUE(has(s.record.decision, "The document says ***."));
  EXPECT_TRUE(has(s.record.facts, "\"document.expiry\":\"2020-01-01\""));  // not personal
  // The number keeps its keyed hash beside it, as the account store keeps it.
  auto facts = boost::json::parse(s.record.facts).as_object();
  EXPECT_EQ(facts.at("document.number").at("hmac").as_string(), *f.key.hash("C01X00T47"));
  auto opened = f.seal.open(s.record);
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_TRUE(has(opened->facts, "\"document.name\":\"MUELLER ANNA\""));
  EXPECT_TRUE(has(opened->facts, "\"employer\":\"ACME SHELL LTD\""));
  EXPECT_TRUE(opened->erased.empty());
  auto replayed = kyc::service::replay_one(f.store, s, &f.seal);
  EXPECT_EQ(replayed.difference, "");
  EXPECT_TRUE(replayed.erased.empty());
  // Without the key, replay says what it needs instead of guessing.
  EXPECT_TRUE(has(kyc::service::replay_one(f.store, s).difference, "master key"));
}

TEST(PersonalSeal, AnErasedAccountReplaysWithoutItsPersonalFactsAndStillCatchesAChange) {
  Fixture f;
  ASSERT_TRUE(f.accounts.set_primary({"acct-1", "SOMEONE ELSE", "1985-03-02", "DEU", "passport", ""},
                                     "2026-12-05T00:00:00Z"));
  auto r = f.run(kFacts, "acct-1");
  ASSERT_TRUE(r.decision);
  auto s = f.stored(r);
  auto erased = f.seal.erase_account("acct-1", "2026-12-05T00:00:00Z");
  ASSERT_TRUE(erased) << erased.error().message;
  EXPECT_EQ(erased->outcome, kyc::store::Erasure::Outcome::key_destroyed);
  auto opened = f.seal.open(s.record);
  ASSERT_TRUE(opened);
  // document.name, document.number, employer, primary.name
  EXPECT_EQ(opened->erased.size(), 4u);
  EXPECT_FALSE(has(opened->facts, "document.name"));
  EXPECT_EQ(opened->erased_at, "2026-12-05T00:00:00Z");
  auto replayed = kyc::service::replay_one(f.store, s, &f.seal);
  EXPECT_EQ(replayed.difference, "");
  EXPECT_EQ(replayed.erased.size(), 4u);
  EXPECT_TRUE(has(s.record.decision, "NAME_MISMATCH"));   // read erased facts: not checked
  EXPECT_TRUE(has(s.record.decision, "EMPLOYER_LISTED"));
  // DOC_EXPIRED reads no personal fact: a record that claims it did not fire is caught.
  auto altered = s;
  auto d = boost::json::parse(altered.record.decision).as_object();
  auto& reasons = d.at("reasons").as_array();
  reasons.erase(std::remove_if(reasons.begin(), reasons.end(),
                               [](const boost::json::value& v) {
                                 return v.at("code").as_string() == "DOC_EXPIRED";
                               }),
                reasons.end());
  altered.record.decision = boost::json::serialize(d);
  EXPECT_TRUE(has(kyc::service::replay_one(f.store, altered, &f.seal).difference, "DOC_EXPIRED"));
  // The account takes no new personal data.
  auto again = f.run(kFacts, "acct-1");
  ASSERT_FALSE(again.decision);
  EXPECT_EQ(again.decision.error().why, NotDecided::Why::AccountErased);
  // Others are not touched.
  auto other = f.run(kFacts, "acct-2");
  ASSERT_TRUE(other.decision);
  EXPECT_TRUE(f.seal.open(f.stored(other).record)->erased.empty());
}

TEST(PersonalSeal, ASealedValueMovedToAnotherFactOrAccountDoesNotOpen) {
  Fixture f;
  auto s1 = f.stored(f.run(kFacts, "acct-1"));
  auto s2 = f.stored(f.run(kFacts, "acct-2"));
  auto facts = boost::json::parse(s1.record.facts).as_object();
  auto moved = s1;
  std::swap(facts["document.name"], facts["employer"]);
  moved.record.facts = boost::json::serialize(facts);
  EXPECT_FALSE(f.seal.open(moved.record));
  moved = s2;
  moved.record.facts = s1.record.facts;  // acct-1's sealed values under acct-2
  auto opened = f.seal.open(moved.record);
  ASSERT_FALSE(opened);
  EXPECT_TRUE(has(opened.error().message, "does not open"));
}

TEST(PersonalSeal, ADecisionWithoutAnAccountIsSealedUnderItsDay) {
  Fixture f;
  auto r = f.run(kFacts, "");
  ASSERT_TRUE(r.decision);
  auto s = f.stored(r);
  EXPECT_FALSE(has(s.record.facts, "MUELLER"));
  auto found = f.keys.find_data_key(PersonalSeal::day_holder(s.record.time.substr(0, 10)));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->state, kyc::store::DataKeyLookup::State::present);
  ASSERT_TRUE(f.seal.erase_day(s.record.time.substr(0, 10), "2030-01-01T00:00:00Z"));
  EXPECT_EQ(f.seal.open(s.record)->erased.size(), 3u);
}

TEST(PersonalSeal, ACallersClaimsForTheServicesFactsAreSealedToo) {
  Fixture f;
  // Not an admin: primary.name is the service's, so the caller's value is set aside.
  auto r = f.run(R"({"primary": {"name": "MUELLER ANNA"}, "document": {"expiry": "2099-01-01"}})",
                 "acct-1");
  ASSERT_TRUE(r.decision);
  auto s = f.stored(r);
  EXPECT_TRUE(has(s.record.facts, "(withheld)"));
  EXPECT_FALSE(has(s.record.facts, "MUELLER"));
  auto opened = f.seal.open(s.record);
  ASSERT_TRUE(opened);
  EXPECT_TRUE(has(opened->facts, "MUELLER ANNA"));
}

TEST(PersonalSeal, PrimaryDataIsStoredSealedAndReadsAsAbsentOnceErased) {
  Fixture f;
  kyc::store::PrimaryData p{"acct-1", "MUELLER ANNA", "1985-03-02",
                            "DEU",    "passport",     *f.key.hash("C01X00T47")};
  ASSERT_TRUE(f.accounts.set_primary(p, "2026-12-05T00:00:00Z"));
  auto raw = f.store.primary("acct-1");
  ASSERT_TRUE(raw && *raw);
  EXPECT_NE((*raw)->full_name, "MUELLER ANNA");
  EXPECT_NE((*raw)->birth_date, "1985-03-02");
  EXPECT_EQ((*raw)->country, "DEU");
  auto read = f.accounts.primary("acct-1");
  ASSERT_TRUE(read && *read);
  EXPECT_EQ((*read)->full_name, "MUELLER ANNA");
  EXPECT_EQ((*read)->birth_date, "1985-03-02");
  // The decision sees the primary name in clear (NAME_MISMATCH does not fire).
  auto r = f.run(R"({"document": {"name": "MUELLER ANNA", "expiry": "2099-01-01"}})", "acct-1");
  ASSERT_TRUE(r.decision);
  EXPECT_FALSE(has(r.decision->decision_json, "NAME_MISMATCH"));
  ASSERT_TRUE(f.seal.erase_account("acct-1", "2026-12-06T00:00:00Z"));
  read = f.accounts.primary("acct-1");
  ASSERT_TRUE(read);
  EXPECT_FALSE(*read);
}
