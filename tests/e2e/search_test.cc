// End-to-end tests of what the console reads: the decision search and the overview over a
// real `kyc serve`, the headers that keep personal data out of caches, and a log written
// before the search index, upgraded when the new binary opens it, whose chain still verifies.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "common/sha256.h"
#include "dsl/policy_loader.h"
#include "http_client.h"
#include "server_process.h"
#include "store/chain.h"

using namespace kyc::e2e;
namespace json = boost::json;

namespace {

// An expired document for even variants (DOC_EXPIRED fires), a valid one for odd.
std::string evaluate_body(int variant) {
  std::string text;
  kyc::dsl::read_file(KYC_SOURCE_DIR "/policies/examples/expired-passport.json", text);
  json::object facts = json::parse(text).as_object();
  facts.erase("today");
  facts["document"].as_object()["expiry"] = variant % 2 ? "2031-01-01" : "2024-01-01";
  return json::serialize(
      json::object{{"facts", facts}, {"account_id", "acct-" + std::to_string(variant % 3)}});
}

Response get(int port, const std::string& target, const std::string& token = kAuditToken) {
  return call(port, request("GET", target, "", token));
}

std::vector<std::string> ids_of(const Response& r) {
  std::vector<std::string> out;
  json::value page = json::parse(r.body);
  for (const auto& item : page.at("items").as_array())
    out.emplace_back(item.at("decision_id").as_string());
  return out;
}

}  // namespace

TEST(Search, AuditorsFindDecisionsByReasonAndAccountNewestFirstWithoutCaching) {
  ServerProcess s;
  std::vector<std::string> ids;
  for (int i = 0; i < 12; ++i) {
    auto r = call(s.port(), request("POST", "/v1/evaluate", evaluate_body(i), kEvaluateToken));
    ASSERT_EQ(r.status, 200) << r.body;
    ids.emplace_back(json::parse(r.body).at("decision_id").as_string());
  }
  auto expired = get(s.port(), "/v1/verifications?reason=DOC_EXPIRED&limit=4");
  ASSERT_EQ(expired.status, 200) << expired.body;
  EXPECT_EQ(ids_of(expired), (std::vector<std::string>{ids[10], ids[8], ids[6], ids[4]}));
  EXPECT_EQ(expired.headers["cache-control"], "no-store");
  EXPECT_EQ(expired.headers["x-content-type-options"], "nosniff");
  std::string next(json::parse(expired.body).at("next").as_string());
  EXPECT_EQ(ids_of(get(s.port(), "/v1/verifications?reason=DOC_EXPIRED&limit=4&after=" + next)),
            (std::vector<std::string>{ids[2], ids[0]}));
  // acct-1 made decisions 1, 4, 7, 10; the start's activation is never listed.
  EXPECT_EQ(ids_of(get(s.port(), "/v1/verifications?account_id=acct-1")),
            (std::vector<std::string>{ids[10], ids[7], ids[4], ids[1]}));
  EXPECT_EQ(ids_of(get(s.port(), "/v1/verifications")).size(), 12u);
  EXPECT_EQ(get(s.port(), "/v1/verifications", kEvaluateToken).status, 403);
  EXPECT_EQ(get(s.port(), "/v1/verifications?limit=1000").status, 400);

  auto stats = get(s.port(), "/v1/stats?bucket=day");
  ASSERT_EQ(stats.status, 200) << stats.body;
  EXPECT_EQ(stats.headers["cache-control"], "no-store");
  auto o = json::parse(stats.body);
  EXPECT_EQ(o.at("total"), 12);
  int64_t expired_count = 0;
  for (const auto& reason : o.at("reasons").as_array())
    if (reason.at("code") == "DOC_EXPIRED") expired_count = reason.at("count").to_number<int64_t>();
  EXPECT_EQ(expired_count, 6);
  ASSERT_EQ(o.at("activations").as_array().size(), 1u);
  EXPECT_EQ(o.at("activations").as_array().at(0).at("trigger"), "start");

  // Every answer says its type is not to be guessed; those without personal data may be cached.
  auto health = get(s.port(), "/healthz");
  EXPECT_EQ(health.headers["x-content-type-options"], "nosniff");
  EXPECT_EQ(health.headers.count("cache-control"), 0u);
  EXPECT_EQ(get(s.port(), "/nowhere").headers["x-content-type-options"], "nosniff");
}

// The decisions table as logs before the search index had it.
const char* kOldDecisions = R"(
CREATE TABLE decisions (seq INTEGER PRIMARY KEY, decision_id TEXT NOT NULL UNIQUE,
  time TEXT NOT NULL, account_id TEXT NOT NULL, stage TEXT NOT NULL, facts TEXT NOT NULL,
  today TEXT NOT NULL, policy_sha256 TEXT NOT NULL, decision TEXT NOT NULL,
  prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX decisions_account ON decisions(account_id, seq);
CREATE TABLE policies (sha256 TEXT PRIMARY KEY, text TEXT NOT NULL, first_used TEXT NOT NULL);
)";

TEST(Search, ALogFromBeforeTheIndexIsUpgradedAtStartAndStillVerifies) {
  ServerProcess s({}, [](const fs::path& var) {
    fs::create_directories(var);
    SQLite::Database db((var / "audit.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA journal_mode=WAL");
    db.exec(kOldDecisions);
    SQLite::Transaction tx(db);
    // The policy the old decisions name is stored with them, as the service always stored it.
    const std::string policy_text = "# the old policy's text\n";
    const std::string policy_sha256 = kyc::common::sha256_hex(policy_text);
    SQLite::Statement policy(db, "INSERT INTO policies VALUES (?, ?, '2026-10-01T08:00:00.000Z')");
    policy.bind(1, policy_sha256);
    policy.bind(2, policy_text);
    policy.exec();
    std::string hash = kyc::store::kGenesisHash;
    for (int i = 1; i <= 40; ++i) {
      kyc::store::AuditRecord r;
      r.decision_id = "OLD" + std::to_string(i);
      r.time = "2026-10-0" + std::to_string(1 + i / 10) + "T08:00:00.000Z";
      r.account_id = "acct-old";
      r.stage = "evaluate";
      r.facts = "{}";
      r.today = r.time.substr(0, 10);
      r.policy_sha256 = policy_sha256;
      r.decision = std::string(R"({"outcome":")") + (i % 4 ? "approve" : "resubmit") +
                   R"(","reasons":[)" + (i % 4 ? "" : R"({"code":"DOC_EXPIRED"})") +
                   R"(],"undetermined":[],"policy":{"name":"kyc","version":"old","sha256":")" +
                   policy_sha256 + R"("}})";
      std::string prev = hash;
      hash = kyc::store::chain_hash(prev, kyc::store::canonical_bytes(i, r));
      SQLite::Statement insert(db,
                               "INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      insert.bind(1, i);
      int c = 2;
      for (const std::string* f : {&r.decision_id, &r.time, &r.account_id, &r.stage, &r.facts,
                                   &r.today, &r.policy_sha256, &r.decision, &prev, &hash})
        insert.bind(c++, *f);
      insert.exec();
    }
    tx.commit();
  });
  ASSERT_GT(s.port(), 0) << s.log();
  auto r = call(s.port(), request("POST", "/v1/evaluate", evaluate_body(0), kEvaluateToken));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(
      ids_of(get(s.port(), "/v1/verifications?reason=DOC_EXPIRED&policy_version=old&limit=3")),
      (std::vector<std::string>{"OLD40", "OLD36", "OLD32"}));
  auto stats = json::parse(get(s.port(), "/v1/stats?from=2026-10-01&to=2026-10-06").body);
  EXPECT_EQ(stats.at("total"), 40);
  EXPECT_EQ(stats.at("buckets").as_array().size(), 5u);  // Oct 1 to 5
  // 40 old decisions, the switch to keyed links, the start's activation, the new decision.
  auto [rc, out] = run_kyc("audit verify --data-dir " + s.data_dir().string());
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("ok: 43 records, chain intact (records 1-40 plain SHA-256, 41-43 keyed"),
            std::string::npos)
      << out;
}
