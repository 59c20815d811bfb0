// The decision service on the in-memory store: the steps a decision takes (the caller's facts,
// the clock, the account store's facts, the engine, the record), and recording with its retry
// on a conflict. No HTTP and no SQLite: the service depends on the store's interfaces only.
#include "service/decisions.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "dsl/policy_loader.h"
#include "service/recorded_facts.h"
#include "service/replay.h"
#include "store/chain.h"
#include "store/decision_summary.h"
#include "store/memory/memory_store.h"

namespace fs = std::filesystem;
using kyc::service::DecisionInput;
using kyc::service::Decisions;
using kyc::service::NotDecided;
using kyc::service::Recorded;
using kyc::store::memory::MemoryStore;
using Commit = kyc::store::DecisionLog::Commit;

namespace {

constexpr const char* kPolicy = R"(policy "t" {
  version "1"
  locales en
  on missing review
}
facts {
  document.number : string?
  document.expiry : date
  account.document_accounts : int
  account.failed_attempts : int
  primary.document_matches : bool?
  today : date
}
reason DOC_EXPIRED {
  outcome resubmit
  when document.expiry < today
  message en { title "Expired" detail "The document has expired." action "Use a valid one." }
}
reason DOC_ACCOUNT_LIMIT {
  outcome reject
  when account.document_accounts >= 1
  message en { title "In use" detail "Verified another account." action "Use another document." }
}
reason TOO_MANY_ATTEMPTS {
  outcome review
  when account.failed_attempts >= 3
  message en { title "Attempts" detail "Many failed attempts." action "Wait for a person." }
}
reason PRIMARY_MISMATCH {
  outcome review
  when primary.document_matches == false
  message en { title "Mismatch" detail "Not the primary document." action "Use it." }
}
)";

struct Fixture {
  fs::path dir = fs::temp_directory_path() /
                 ("kyc-decisions-" + std::to_string(::getpid()) + "-" +
                  std::to_string(reinterpret_cast<uintptr_t>(this)));
  bool made = fs::create_directories(dir);
  MemoryStore store;
  kyc::store::DocumentKey key = load_key(dir / "key");
  std::unique_ptr<kyc::service::PolicyStore> policies;
  std::unique_ptr<Decisions> decisions;

  static kyc::store::DocumentKey load_key(const fs::path& path) {
    auto key = kyc::store::DocumentKey::load_or_create(path.string());
    if (!key) throw std::runtime_error(key.error().message);
    return *key;
  }

  Fixture() {
    std::ofstream(dir / "t.policy") << kPolicy;
    policies = std::make_unique<kyc::service::PolicyStore>(dir.string(), "t.policy");
    EXPECT_TRUE(policies->reload()) << policies->last_error();
    decisions = std::make_unique<Decisions>(
        *policies, kyc::service::Stores{&store, &store, &key, {}});
  }
  ~Fixture() { fs::remove_all(dir); }

  // Decides and records; the outcome's name, or why there was none.
  Recorded run(const std::string& facts_json, const std::string& account, bool admin = false) {
    auto facts = boost::json::parse(facts_json).as_object();
    std::optional<Recorded> out;
    decisions->decide_and_record(
        [&] { return decisions->decide({facts, account, "en", "evaluate", admin}); }, {},
        [&out](Recorded r) { out = std::move(r); });
    EXPECT_TRUE(out);  // the in-memory store commits at once
    return std::move(*out);
  }
};

std::string outcome(const Recorded& r) {
  if (!r.decision) return "not decided: " + r.decision.error().detail;
  auto d = boost::json::parse(r.decision->decision_json).as_object();
  return std::string(d.at("outcome").as_string());
}

const char* kValid = R"({"document": {"number": "X123", "expiry": "2099-01-01"}})";

// The facts a decision's audit record keeps.
boost::json::object recorded_facts_of(MemoryStore& store, const Recorded& r) {
  auto stored = store.get(r.decision->decision_id);
  EXPECT_TRUE(stored && *stored);
  return boost::json::parse((*stored)->record.facts).as_object();
}

// The test policy with one more fact and a rule on it, as compliance would draft a change.
std::shared_ptr<const kyc::engine::CompiledPolicy> candidate_reading_birth_date() {
  std::string text = kPolicy;
  text.replace(text.find("today : date"), 12, "today : date\n  document.birth_date : date?");
  text += R"(reason UNDER_AGE {
  outcome reject
  when document.birth_date > 2008-12-04
  message en { title "Age" detail "Born {document.birth_date}." action "Wait." }
}
)";
  auto loaded = kyc::dsl::load_policy("candidate", text);
  EXPECT_TRUE(loaded.ok()) << loaded.report();
  return loaded.compiled;
}

}  // namespace

TEST(Decisions, AnApprovalLinksTheDocumentAndASecondAccountMeetsTheLimit) {
  Fixture f;
  auto first = f.run(kValid, "acct-1");
  EXPECT_EQ(outcome(first), "approve");
  EXPECT_EQ(first.commit, Commit::Committed);
  auto second = f.run(kValid, "acct-2");
  EXPECT_EQ(outcome(second), "reject");
  ASSERT_TRUE(second.decision);
  EXPECT_EQ(second.decision->reasons, std::vector<std::string>{"DOC_ACCOUNT_LIMIT"});
  // The same account again is not "another" account.
  EXPECT_EQ(outcome(f.run(kValid, "acct-1")), "approve");
  EXPECT_EQ(*f.store.count(), 3);
}

TEST(Decisions, ANumberWrittenAnotherWayIsStillTheSameDocument) {
  // Once only ' ' and '-' were dropped: each of these approved a second account.
  Fixture f;
  EXPECT_EQ(
      outcome(f.run(R"({"document": {"number": "X1234567", "expiry": "2099-01-01"}})", "acct-1")),
      "approve");
  int n = 2;
  for (const char* written :
       {"X1234567\\t", "X1234567\\u00a0", "X1234567\\u200b", "X1234567<", "X.1234567", "X_1234567",
        "x 123-4567", "\\uff38\\uff11\\uff12\\uff13\\uff14\\uff15\\uff16\\uff17"}) {
    auto r = f.run(
        std::string(R"({"document": {"expiry": "2099-01-01", "number": ")") + written + "\"}}",
        "acct-" + std::to_string(n++));
    EXPECT_EQ(outcome(r), "reject") << written;
  }
  // A letter from another script that looks like X is in no document number: nothing links,
  // and the account rule is undetermined (review), never an approval.
  auto homoglyph =
      f.run(R"({"document": {"number": "\u04251234567", "expiry": "2099-01-01"}})", "acct-99");
  EXPECT_EQ(outcome(homoglyph), "review");
}

TEST(DocumentKey, TheCanonicalNumberKeepsLettersAndDigitsOnly) {
  using kyc::store::canonical_document_number;
  EXPECT_EQ(canonical_document_number("x123-456 7"), "X1234567");
  EXPECT_EQ(canonical_document_number("P<UTO L898902C3"), "PUTOL898902C3");
  EXPECT_EQ(canonical_document_number("\xef\xbc\xb8\xef\xbc\x91"), "X1");  // fullwidth
  EXPECT_EQ(canonical_document_number("X1\xe2\x80\x8b"), "X1");            // zero-width space
  EXPECT_FALSE(
      canonical_document_number("\xd0\xa5"
                                "1234567"));          // Cyrillic Ha
  EXPECT_FALSE(canonical_document_number("X1\xff"));  // not UTF-8
  EXPECT_FALSE(canonical_document_number(" - "));     // nothing left
}

TEST(Decisions, WithoutAnAccountTheAccountRulesStayUndetermined) {
  Fixture f;
  auto r = f.run(kValid, "");
  EXPECT_EQ(outcome(r), "review");  // on missing review: never an approval
  auto d = boost::json::parse(r.decision->decision_json).as_object();
  EXPECT_FALSE(d.at("undetermined").as_array().empty());
}

TEST(Decisions, FailedAttemptsAreCountedAndBecomeAFact) {
  Fixture f;
  const char* expired = R"({"document": {"number": "X9", "expiry": "2001-01-01"}})";
  for (int i = 0; i < 3; ++i) EXPECT_EQ(outcome(f.run(expired, "acct-1")), "resubmit");
  EXPECT_EQ(*f.store.failed_attempts("acct-1"), 3);
  auto fourth = f.run(kValid, "acct-1");
  EXPECT_EQ(fourth.decision->reasons, std::vector<std::string>{"TOO_MANY_ATTEMPTS"});
}

TEST(Decisions, ACallersAccountFactsAreSetAsideUnlessItIsAnAdmin) {
  Fixture f;
  f.run(kValid, "acct-1");
  const char* claims =
      R"({"document": {"number": "X123", "expiry": "2099-01-01"},
          "account": {"document_accounts": 0}, "today": "2000-01-01"})";
  auto caller = f.run(claims, "acct-2");
  EXPECT_EQ(outcome(caller), "reject");
  auto d = boost::json::parse(caller.decision->decision_json).as_object();
  EXPECT_EQ(d.at("ignored_facts").as_array().size(), 2u);
  // An admin's values stand (tests, corrections).
  EXPECT_EQ(outcome(f.run(claims, "acct-3", /*admin=*/true)), "approve");
}

TEST(Decisions, PrimaryDataIsComparedByTheKeyedHash) {
  Fixture f;
  kyc::store::PrimaryData p{"acct-1", "A B", "1990-01-01", "DEU", "passport", *f.key.hash("x-123")};
  ASSERT_TRUE(f.store.set_primary(p, "2026-12-04T00:00:00Z"));
  EXPECT_EQ(outcome(f.run(kValid, "acct-1")), "approve");  // "x-123" normalises to X123
  p.document_hash = *f.key.hash("OTHER");
  ASSERT_TRUE(f.store.set_primary(p, "2026-12-04T00:00:00Z"));
  auto r = f.run(R"({"document": {"number": "Y1", "expiry": "2099-01-01"}})", "acct-1");
  EXPECT_EQ(r.decision->reasons, std::vector<std::string>{"PRIMARY_MISMATCH"});
}

TEST(Decisions, AConflictDecidesAgainWithTheFreshCount) {
  Fixture f;
  // Another replica approves the same document for acct-9 just before this commit.
  bool struck = false;
  f.store.before_append([&] {
    if (struck) return;
    struck = true;
    kyc::store::AuditRecord other;
    other.decision_id = "OTHER";
    other.account_id = "acct-9";
    other.link = kyc::store::AuditRecord::DocumentLink{*f.key.hash("X123"), 0};
    f.store.append(std::move(other), [](Commit c) { EXPECT_EQ(c, Commit::Committed); });
  });
  auto r = f.run(kValid, "acct-1");
  EXPECT_EQ(r.commit, Commit::Committed);
  EXPECT_EQ(outcome(r), "reject");  // decided again: the document is now on acct-9
  EXPECT_EQ(*f.store.count(), 2);
}

TEST(Decisions, AFailedCommitIsReportedAndNothingIsLinked) {
  Fixture f;
  f.store.fail_appends(true);
  auto r = f.run(kValid, "acct-1");
  EXPECT_EQ(r.commit, Commit::Failed);
  EXPECT_EQ(*f.store.other_accounts(*f.key.hash("X123"), "acct-2"), 0);
}

TEST(Decisions, FactsOfTheWrongTypeAreNotDecided) {
  Fixture f;
  auto r = f.run(R"({"document": {"expiry": "soon"}})", "acct-1");
  ASSERT_FALSE(r.decision);
  EXPECT_EQ(r.decision.error().why, NotDecided::Why::InvalidFacts);
  EXPECT_EQ(r.decision.error().facts.size(), 1u);
  EXPECT_EQ(*f.store.count(), 0);
}

TEST(Decisions, RecordedDecisionsReplayExactlyAndTheChainVerifies) {
  Fixture f;
  f.run(kValid, "acct-1");
  f.run(kValid, "acct-2");
  f.run(R"({"document": {"number": "Z", "expiry": "2001-01-01"}})", "");
  auto report = kyc::service::replay(f.store, {});
  ASSERT_TRUE(report);
  EXPECT_EQ(report->records, 3);
  EXPECT_EQ(report->matched, 3) << (report->mismatches.empty() ? "" : report->mismatches[0]);
  EXPECT_TRUE(kyc::store::verify_chain(f.store).ok);
}

TEST(Decisions, AnEvaluateRecordKeepsTheFactsThePolicyDoesNotDeclare) {
  Fixture f;
  auto r = f.run(R"({"document": {"number": "X123", "expiry": "2099-01-01", "issuer": "DEU"},
                     "document.birth_date": "2010-05-01", "device": {"os": "ios", "ids": [1, 2]}})",
                 "acct-1");
  ASSERT_TRUE(r.decision);
  auto facts = recorded_facts_of(f.store, r);
  EXPECT_EQ(facts.at("document.number"), "X123");  // declared: as evaluated
  EXPECT_EQ(facts.at("document.issuer"), "DEU");
  EXPECT_EQ(facts.at("document.birth_date"), "2010-05-01");
  EXPECT_EQ(facts.at("device.os"), "ios");
  EXPECT_EQ(facts.at("device.ids"), boost::json::parse("[1, 2]"));
  // The answer still tells the caller which facts the policy did not take.
  auto d = boost::json::parse(r.decision->decision_json).as_object();
  EXPECT_EQ(d.at("ignored_facts").as_array().size(), 3u);
}

TEST(Decisions, ACallersClaimsOnServiceFactsAreRecordedApartFromTheFacts) {
  Fixture f;
  // A custom delimiter: the key's ")" would end a plain raw string.
  auto r = f.run(R"json({"document": {"number": "X123", "expiry": "2099-01-01"},
                     "account": {"document_accounts": 0}, "primary.birth_date": "1990-01-01",
                     "(withheld)": 1})json",
                 "acct-1");
  ASSERT_TRUE(r.decision);
  auto facts = recorded_facts_of(f.store, r);
  EXPECT_FALSE(facts.contains("primary.birth_date"));
  EXPECT_EQ(facts.at("account.document_accounts"), 0);  // the store's count, not the claim
  const auto& withheld = facts.at(kyc::service::kWithheldFactsKey).as_object();
  EXPECT_EQ(withheld.at("account.document_accounts"), 0);
  EXPECT_EQ(withheld.at("primary.birth_date"), "1990-01-01");
  EXPECT_EQ(withheld.at(kyc::service::kWithheldFactsKey), 1);  // a caller cannot pose as it
  // An admin's values are facts (tests, corrections), recorded as such.
  auto admin = f.run(R"({"document": {"number": "Y1", "expiry": "2099-01-01"},
                         "primary.birth_date": "1990-01-01"})",
                     "acct-2", /*admin=*/true);
  auto admin_facts = recorded_facts_of(f.store, admin);
  EXPECT_EQ(admin_facts.at("primary.birth_date"), "1990-01-01");
  EXPECT_FALSE(admin_facts.contains(kyc::service::kWithheldFactsKey));
  // Both replay byte for byte with the policy of the time.
  auto same = kyc::service::replay(f.store, {});
  ASSERT_TRUE(same);
  EXPECT_EQ(same->matched, 2) << (same->mismatches.empty() ? "" : same->mismatches[0]);
}

TEST(Decisions, ACandidateThatReadsAnUndeclaredFactIsReplayedWithItsRecordedValue) {
  Fixture f;
  f.run(R"({"document": {"number": "A1", "expiry": "2099-01-01", "birth_date": "2010-05-01"}})",
        "acct-1");
  f.run(R"({"document": {"number": "A2", "expiry": "2099-01-01", "birth_date": "1990-05-01"}})",
        "acct-2");
  f.run(R"({"document": {"number": "A3", "expiry": "2099-01-01"}})", "acct-3");
  // With the policy of the time, every decision comes back byte for byte.
  auto same = kyc::service::replay(f.store, {});
  ASSERT_TRUE(same);
  EXPECT_EQ(same->matched, 3) << (same->mismatches.empty() ? "" : same->mismatches[0]);
  // The candidate finds the one applicant under age, and only that one.
  kyc::service::ReplayOptions options;
  options.candidate = candidate_reading_birth_date();
  ASSERT_TRUE(options.candidate);
  auto impact = kyc::service::replay(f.store, options);
  ASSERT_TRUE(impact);
  EXPECT_EQ(impact->mismatch_count, 0) << (impact->mismatches.empty() ? "" : impact->mismatches[0]);
  ASSERT_TRUE(impact->impact);
  auto report = impact->impact->json("", "");
  EXPECT_EQ(report.at("changed").as_int64(), 1);
  EXPECT_EQ(report.at("matrix").at("approve").at("reject").as_int64(), 1);
  const auto& change = report.at("changes").as_array().at(0).as_object();
  EXPECT_EQ(change.at("from").as_string(), "approve");
  EXPECT_EQ(change.at("to").as_string(), "reject");
  // The cause of the change is named, and the example shows the new reason's evidence.
  const auto& cause = change.at("causes").as_array().at(0).as_object();
  EXPECT_EQ(cause.at("code").as_string(), "UNDER_AGE");
  EXPECT_EQ(cause.at("change").as_string(), "now fires");
  const auto& example = change.at("examples").as_array().at(0).as_object();
  EXPECT_EQ(example.at("after").at("reasons").at(0).at("code").as_string(), "UNDER_AGE");
  EXPECT_FALSE(example.at("after").at("reasons").at(0).at("evidence").as_array().empty());
}

TEST(Decisions, AWithheldClaimIsNeverReplayedAsTheServicesFact) {
  Fixture f;
  f.run(R"({"document": {"number": "A1", "expiry": "2099-01-01"},
            "primary": {"birth_date": "2010-05-01"}})",
        "acct-1");
  std::string text = kPolicy;
  text.replace(text.find("today : date"), 12, "today : date\n  primary.birth_date : date?");
  text += R"(reason UNDER_AGE {
  outcome reject
  when primary.birth_date > 2008-12-04
  message en { title "Age" detail "Too young." action "Wait." }
}
)";
  auto loaded = kyc::dsl::load_policy("candidate", text);
  ASSERT_TRUE(loaded.ok()) << loaded.report();
  kyc::service::ReplayOptions options;
  options.candidate = loaded.compiled;
  auto impact = kyc::service::replay(f.store, options);
  ASSERT_TRUE(impact);
  EXPECT_EQ(impact->records, 1);
  ASSERT_TRUE(impact->impact);
  EXPECT_EQ(impact->impact->changed(), 0);
}

// The log's search columns come with the record (the SQLite writer then skips parsing the
// JSON); they must say what the JSON says, or a search would disagree with the decision.
TEST(Decisions, TheRecordsSearchSummaryIsWhatItsDecisionJsonSays) {
  Fixture f;
  for (const char* facts : {kValid, R"({"document": {"number": "X1", "expiry": "2001-01-01"}})"})
    for (const char* account : {"", "acct-9"}) {
      auto r = f.run(facts, account);
      ASSERT_TRUE(r.decision);
      auto stored = f.store.get(r.decision->decision_id);
      ASSERT_TRUE(stored && *stored);
      const auto& record = (*stored)->record;
      ASSERT_TRUE(record.summary);
      auto from_json = kyc::store::summarize(record.stage, record.decision);
      EXPECT_TRUE(from_json.is_decision);
      EXPECT_EQ(record.summary->outcome, from_json.outcome);
      EXPECT_EQ(record.summary->reasons, from_json.reasons);
      EXPECT_EQ(record.summary->undetermined, from_json.undetermined);
      EXPECT_EQ(record.summary->missing, from_json.missing);
      EXPECT_EQ(record.summary->policy_version, from_json.policy_version);
    }
  // Both kinds occurred: a fired reason, and undetermined ones with missing facts.
  EXPECT_EQ(outcome(f.run(R"({"document": {"number": "X1", "expiry": "2001-01-01"}})", "a")),
            "resubmit");
  EXPECT_FALSE(
      kyc::store::summarize("evaluate", f.run(kValid, "").decision->decision_json).missing.empty());
}
