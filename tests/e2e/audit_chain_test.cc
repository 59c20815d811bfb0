// End-to-end tests of the keyed, anchored audit chain: the real `kyc serve` writes signed
// checkpoints and answers GET /v1/audit/head; `kyc audit verify --checkpoints` then finds, on
// copies of its data folder, the last record removed, the last 100 removed, an edit with the
// chain recomputed by plain SHA-256, a changed document link, a renamed account and a
// database replaced by another valid one; and it needs the chain key, the right one. An old
// plain log keeps verifying once a keyed service has switched it.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>

#include "common/sha256.h"
#include "dsl/policy_loader.h"
#include "http_client.h"
#include "server_process.h"
#include "store/chain.h"
#include "store/sqlite/decision_log.h"
#include "tests/temp_dir.h"

using namespace kyc::e2e;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

using kyc::test_support::TempDir;

// Approvable facts for `account` with document `number` (an approval links the document).
std::string approvable(const std::string& account, const std::string& number) {
  std::string text;
  kyc::dsl::read_file(KYC_SOURCE_DIR "/policies/examples/expired-passport.json", text);
  json::object facts = json::parse(text).as_object();
  facts.erase("today");
  facts.erase("primary");
  facts["document"].as_object()["expiry"] = "2031-01-01";
  facts["document"].as_object()["number"] = number;
  return json::serialize(json::object{{"facts", facts}, {"account_id", account}});
}

std::pair<int, std::string> call(int port, const std::string& method, const std::string& path,
                                 const std::string& body, const std::string& token) {
  Connection c(port);
  if (!c.send(request(method, path, body, token))) return {0, ""};
  auto r = c.read();
  return r ? std::pair<int, std::string>{r->status, r->body} : std::pair<int, std::string>{0, ""};
}

// A served log: 120 decisions (every tenth an approval that links a document), one account
// with primary data, checkpoints every 50 records, stopped with SIGTERM.
struct ServedLog {
  TempDir outside;  // the checkpoints and a copy of the public key live apart from the data
  fs::path checkpoints = outside.path / "checkpoints.jsonl";
  std::unique_ptr<ServerProcess> server;
  json::object head;

  ServedLog() {
    server = std::make_unique<ServerProcess>(std::vector<std::string>{
        "--checkpoints", checkpoints.string(), "--checkpoint-records", "50"});
    int port = server->port();
    EXPECT_EQ(call(port, "PUT", "/v1/accounts/acct-1/primary",
                   R"({"full_name":"Ann Example","birth_date":"1990-01-01","country":"DE",)"
                   R"("document_type":"passport","document_number":"P1"})",
                   kAdminToken)
                  .first,
              200);
    // The account change is record 2 of the chain, but not a decision anyone can read as one.
    EXPECT_EQ(call(port, "GET", "/v1/verifications/chain-2", "", kAuditToken).first, 404);
    for (int i = 0; i < 120; ++i) {
      std::string body = approvable("acct-" + std::to_string(i), "N" + std::to_string(i));
      if (i % 10) {  // an expired document: no link, a failed attempt
        json::object b = json::parse(body).as_object();
        b["facts"].as_object()["document"].as_object()["expiry"] = "2020-01-01";
        body = json::serialize(b);
      }
      EXPECT_EQ(call(port, "POST", "/v1/evaluate", body, kEvaluateToken).first, 200);
    }
    auto [status, answer] = call(port, "GET", "/v1/audit/head", "", kAuditToken);
    EXPECT_EQ(status, 200) << answer;
    head = json::parse(answer).as_object();
    EXPECT_EQ(call(port, "GET", "/v1/audit/head", "", kEvaluateToken).first, 403);
    fs::copy_file(server->data_dir() / "checkpoint.pub", outside.path / "checkpoint.pub");
    server->signal(SIGTERM);
    EXPECT_EQ(server->wait_exit(15s), 0) << server->log();
  }

  // A copy of the data folder, edited by `sql`, checked with the checkpoints.
  std::pair<int, std::string> verify_copy(const std::string& sql, const std::string& flags = "",
                                          const std::function<void(const fs::path&)>& more = {}) {
    TempDir copy;
    fs::copy(server->data_dir(), copy.path / "var", fs::copy_options::recursive);
    if (!sql.empty())
      SQLite::Database((copy.path / "var" / "audit.db").string(), SQLite::OPEN_READWRITE).exec(sql);
    if (more) more(copy.path / "var");
    return run_kyc("audit verify --data-dir " + (copy.path / "var").string() + " --checkpoints " +
                   checkpoints.string() + " --public-key " +
                   (outside.path / "checkpoint.pub").string() + flags);
  }
};

ServedLog& served() {
  static ServedLog log;
  return log;
}

int64_t last_seq(const fs::path& data) {
  SQLite::Database db((data / "audit.db").string());
  return db.execAndGet("SELECT MAX(seq) FROM decisions").getInt64();
}

}  // namespace

TEST(AuditChain, ServedLogVerifiesWithItsCheckpoints) {
  auto& s = served();
  int64_t last = last_seq(s.server->data_dir());
  EXPECT_EQ(last, 122);  // the activation, the account change, 120 decisions
  // The head answered over HTTP is the last record, signed, with the key ids.
  EXPECT_EQ(s.head.at("seq").as_int64(), last);
  EXPECT_EQ(s.head.at("signature").as_string().size(), 128u);
  EXPECT_EQ(s.head.at("chain_key_id").as_string().size(), 16u);
  EXPECT_NE(s.head.at("public_key").as_string().find("BEGIN PUBLIC KEY"), std::string::npos);
  // At start, every 50 records, and the last one on SIGTERM at the head.
  std::ifstream in(s.checkpoints);
  std::vector<json::object> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line).as_object());
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines.back().at("seq").as_int64(), last);
  EXPECT_EQ(lines.back().at("link").as_string(), s.head.at("link").as_string());
  auto [rc, out] = s.verify_copy("");
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("ok: 122 records, chain intact (keyed with chain key " +
                     std::string(s.head.at("chain_key_id").as_string()) + ")"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find(std::to_string(lines.size()) + " checkpoints match"), std::string::npos)
      << out;
}

TEST(AuditChain, TheLastRecordRemovedIsFound) {
  auto [rc, out] = served().verify_copy("DELETE FROM decisions WHERE seq = 122");
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("the log ends at record 121"), std::string::npos) << out;
  EXPECT_NE(out.find("records 122-122 were removed"), std::string::npos) << out;
}

TEST(AuditChain, TheLast100RemovedAreFound) {
  auto [rc, out] = served().verify_copy("DELETE FROM decisions WHERE seq > 22");
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("records 23-122 were removed"), std::string::npos) << out;
}

TEST(AuditChain, AnEditWithTheChainRecomputedByPlainSha256IsFound) {
  auto [rc, out] = served().verify_copy("", "", [](const fs::path& data) {
    std::string path = (data / "audit.db").string();
    {
      SQLite::Database db(path, SQLite::OPEN_READWRITE);
      db.exec("UPDATE decisions SET account_id = 'someone-else' WHERE seq = 30");
      db.exec("DELETE FROM chain_meta");
      db.exec("UPDATE decisions SET effects = NULL");
    }
    // Every link again, as the plain chain made them.
    std::vector<std::pair<int64_t, std::string>> links;
    {
      auto log = kyc::store::sqlite::SqliteDecisionLog::open_read_only(path);
      std::string prev = kyc::store::kGenesisHash;
      (void)(*log)->range("", "", [&](const kyc::store::StoredRecord& s) {
        prev = kyc::store::chain_hash(prev, kyc::store::canonical_bytes(s.seq, s.record));
        links.push_back({s.seq, prev});
        return true;
      });
    }
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    for (size_t i = 0; i < links.size(); ++i) {
      SQLite::Statement u(db, "UPDATE decisions SET prev_hash = ?, hash = ? WHERE seq = ?");
      u.bind(1, i ? links[i - 1].second : kyc::store::kGenesisHash);
      u.bind(2, links[i].second);
      u.bind(3, links[i].first);
      u.exec();
    }
  });
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("differs from the checkpoint"), std::string::npos) << out;
}

TEST(AuditChain, AChangedDocumentLinkOrRenamedAccountIsFound) {
  auto [rc, out] = served().verify_copy(
      "UPDATE document_links SET account_id = 'acct-999' WHERE account_id = 'acct-10'");
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("document_links row"), std::string::npos) << out;
  EXPECT_NE(out.find("outside the service"), std::string::npos) << out;
  auto [rc2, out2] =
      served().verify_copy("UPDATE accounts SET full_name = 'Bob' WHERE account_id = 'acct-1'");
  EXPECT_EQ(rc2, 1) << out2;
  EXPECT_NE(out2.find("accounts row acct-1 differs"), std::string::npos) << out2;
  auto [rc3, out3] = served().verify_copy("UPDATE attempts SET failed = 0");
  EXPECT_EQ(rc3, 1) << out3;
  EXPECT_NE(out3.find("attempts row"), std::string::npos) << out3;
}

TEST(AuditChain, ADatabaseReplacedByAnotherValidOneIsFound) {
  // Another service's data folder, intact and verifying on its own.
  ServerProcess other;
  ASSERT_EQ(call(other.port(), "POST", "/v1/evaluate", approvable("x", "X1"), kEvaluateToken).first,
            200);
  other.signal(SIGTERM);
  ASSERT_EQ(other.wait_exit(15s), 0);
  EXPECT_EQ(run_kyc("audit verify --data-dir " + other.data_dir().string()).first, 0);
  // Its database alone: the chain key of this folder does not fit it.
  auto [rc, out] = served().verify_copy("", "", [&](const fs::path& data) {
    fs::copy_file(other.data_dir() / "audit.db", data / "audit.db",
                  fs::copy_options::overwrite_existing);
  });
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("not with the key given"), std::string::npos) << out;
  // Its database with its own keys: the checkpoints kept apart name another chain.
  auto [rc2, out2] = served().verify_copy("", "", [&](const fs::path& data) {
    for (const char* f : {"audit.db", "chain.key", "checkpoint.key", "checkpoint.pub"})
      fs::copy_file(other.data_dir() / f, data / f, fs::copy_options::overwrite_existing);
  });
  EXPECT_EQ(rc2, 1) << out2;
  EXPECT_NE(out2.find("the database was replaced"), std::string::npos) << out2;
}

TEST(AuditChain, TheCheckNeedsTheChainKeyAndNamesTheOneItNeeds) {
  auto& s = served();
  std::string id(s.head.at("chain_key_id").as_string());
  auto [rc, out] =
      s.verify_copy("", "", [](const fs::path& data) { fs::remove(data / "chain.key"); });
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("--checkpoints needs the chain key"), std::string::npos) << out;
  TempDir copy;
  fs::copy(s.server->data_dir(), copy.path / "var", fs::copy_options::recursive);
  fs::remove(copy.path / "var" / "chain.key");
  auto [rc2, out2] = run_kyc("audit verify --data-dir " + (copy.path / "var").string());
  EXPECT_EQ(rc2, 1) << out2;
  EXPECT_NE(out2.find("with chain key " + id + ": give that key"), std::string::npos) << out2;
  std::ofstream(copy.path / "wrong.key") << std::string(32, 'w');
  auto [rc3, out3] = run_kyc("audit verify --data-dir " + (copy.path / "var").string() +
                             " --chain-key " + (copy.path / "wrong.key").string());
  EXPECT_EQ(rc3, 1) << out3;
  EXPECT_NE(out3.find("keyed with chain key " + id + ", not with the key given"), std::string::npos)
      << out3;
}

TEST(AuditChain, AnOldPlainLogIsSwitchedAndKeepsVerifying) {
  TempDir outside;
  fs::path checkpoints = outside.path / "checkpoints.jsonl";
  ServerProcess s({"--checkpoints", checkpoints.string()}, [](const fs::path& data) {
    // Five records as kycd wrote them before keyed chains: plain SHA-256 links.
    fs::create_directories(data);
    auto log = kyc::store::sqlite::SqliteDecisionLog::open((data / "audit.db").string(), {});
    ASSERT_TRUE(log);
    auto policy_text = std::make_shared<const std::string>("# the old policy's text\n");
    for (int i = 1; i <= 5; ++i) {
      kyc::store::AuditRecord r;
      r.decision_id = "OLD" + std::to_string(i);
      r.time = "2026-11-01T00:00:00Z";
      r.account_id = "old-" + std::to_string(i);
      r.stage = "evaluate";
      r.facts = "{}";
      r.today = "2026-11-01";
      r.policy_sha256 = kyc::common::sha256_hex(*policy_text);
      r.policy_text = policy_text;
      r.decision = "{}";
      (*log)->append(std::move(r), [](auto) {});
    }
  });
  ASSERT_GT(s.port(), 0) << s.log();
  EXPECT_EQ(call(s.port(), "POST", "/v1/evaluate", approvable("new", "N1"), kEvaluateToken).first,
            200);
  s.signal(SIGTERM);
  ASSERT_EQ(s.wait_exit(15s), 0);
  auto [rc, out] = run_kyc("audit verify --data-dir " + s.data_dir().string() + " --checkpoints " +
                           checkpoints.string());
  EXPECT_EQ(rc, 0) << out;
  // The switch is record 6, then the activation and the decision.
  EXPECT_NE(out.find("ok: 8 records, chain intact (records 1-5 plain SHA-256, 6-8 keyed"),
            std::string::npos)
      << out;
  // The old part is still checked: an edit in it is found.
  SQLite::Database((s.data_dir() / "audit.db").string(), SQLite::OPEN_READWRITE)
      .exec("UPDATE decisions SET facts = '{\"x\":1}' WHERE seq = 2");
  auto [rc2, out2] = run_kyc("audit verify --data-dir " + s.data_dir().string());
  EXPECT_EQ(rc2, 1) << out2;
  EXPECT_NE(out2.find("BROKEN at record 2"), std::string::npos) << out2;
}
