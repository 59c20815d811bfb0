// End-to-end tests of the audit log: durable before the answer, tamper-evident, replayable,
// and intact after the server is killed mid-load.
#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "dsl/policy_loader.h"
#include "approvable.h"
#include "http_client.h"
#include "server_process.h"

using namespace kyc::e2e;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

std::string evaluate_body(int variant) {
  std::string text;
  kyc::dsl::read_file(KYC_SOURCE_DIR "/policies/examples/expired-passport.json", text);
  json::object facts = json::parse(text).as_object();
  facts.erase("today");
  // Vary the facts so that decisions differ: expired or not, blurry or not.
  facts["document"].as_object()["expiry"] = variant % 2 ? "2031-01-01" : "2024-01-01";
  facts["image"].as_object()["blur"] = variant % 3 ? 250.0 : 20.0;
  return json::serialize(
      json::object{{"facts", facts}, {"account_id", "acct-" + std::to_string(variant % 7)}});
}

std::string post(int port, const std::string& body, int* status = nullptr) {
  Connection c(port);
  if (!c.send(request("POST", "/v1/evaluate", body, kEvaluateToken))) return "";
  auto r = c.read();
  if (status) *status = r ? r->status : 0;
  if (!r || r->status != 200) return "";
  return std::string(json::parse(r->body).as_object().at("decision_id").as_string());
}

int call_status(int port, const std::string& path) {
  Connection c(port);
  c.send(request("GET", path, "", kAuditToken));
  auto r = c.read();
  return r ? r->status : 0;
}

}  // namespace

TEST(Audit, EveryAnsweredDecisionIsRecordedVerifiableAndReplayable) {
  ServerProcess s;
  std::vector<std::string> ids;
  for (int i = 0; i < 30; ++i) ids.push_back(post(s.port(), evaluate_body(i)));
  for (const auto& id : ids) {
    ASSERT_FALSE(id.empty());
    Connection c(s.port());
    c.send(request("GET", "/v1/verifications/" + id, "", kAuditToken));
    auto r = c.read();
    ASSERT_EQ(r->status, 200) << r->body;
    auto rec = json::parse(r->body).as_object();
    EXPECT_EQ(rec.at("decision").as_object().at("decision_id").as_string(), id);
    EXPECT_TRUE(rec.at("facts").as_object().contains("today"));  // the clock is recorded
  }
  EXPECT_EQ(call_status(s.port(), "/v1/verifications/NOPE"), 404);
  auto [verify_rc, verify_out] = run_kyc("audit verify --data-dir " + s.data_dir().string());
  EXPECT_EQ(verify_rc, 0) << verify_out;
  // 30 decisions after the policy's activation at start.
  EXPECT_NE(verify_out.find("ok: 31 records"), std::string::npos) << verify_out;
  auto [replay_rc, replay_out] = run_kyc("replay --data-dir " + s.data_dir().string());
  EXPECT_EQ(replay_rc, 0) << replay_out;
  EXPECT_NE(replay_out.find("match: 30 of 30"), std::string::npos) << replay_out;
}

TEST(Audit, AHandEditedRecordIsFoundAndNamed) {
  ServerProcess s;
  std::vector<std::string> ids;
  for (int i = 0; i < 10; ++i) ids.push_back(post(s.port(), evaluate_body(i)));
  {
    SQLite::Database db((s.data_dir() / "audit.db").string(), SQLite::OPEN_READWRITE);
    // Record 1 is the policy's activation at start; record 5 the fourth decision.
    db.exec("UPDATE decisions SET account_id = 'someone-else' WHERE seq = 5");
  }
  auto [rc, out] = run_kyc("audit verify --data-dir " + s.data_dir().string());
  EXPECT_EQ(rc, 1);
  EXPECT_NE(out.find("BROKEN at record 5 (decision " + ids[3] + ")"), std::string::npos) << out;
  {
    SQLite::Database db((s.data_dir() / "audit.db").string(), SQLite::OPEN_READWRITE);
    db.exec("UPDATE decisions SET account_id = 'acct-3' WHERE seq = 5");  // restore
    db.exec("DELETE FROM decisions WHERE seq = 7");
  }
  auto [rc2, out2] = run_kyc("audit verify --data-dir " + s.data_dir().string());
  EXPECT_EQ(rc2, 1);
  EXPECT_NE(out2.find("record 7 is missing"), std::string::npos) << out2;
}

TEST(Audit, AnEditedOrRemovedPolicyTextIsFoundByTheRecordThatNamesIt) {
  ServerProcess s;
  for (int i = 0; i < 3; ++i) ASSERT_FALSE(post(s.port(), evaluate_body(i)).empty());
  std::string dir = s.data_dir().string();
  auto [rc, out] = run_kyc("audit verify --data-dir " + dir);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("1 stored policies match their sha256"), std::string::npos) << out;
  // Records chain only the policy's sha256: a threshold changed in the stored text let the
  // chain verify before, and only a replay found it.
  {
    SQLite::Database db((s.data_dir() / "audit.db").string(), SQLite::OPEN_READWRITE);
    db.exec(
        "UPDATE policies SET text = replace(text, 'MIN_SHARPNESS = 60.0', "
        "'MIN_SHARPNESS = 6.0')");
  }
  auto [edited_rc, edited] = run_kyc("audit verify --data-dir " + dir);
  EXPECT_EQ(edited_rc, 1);
  // Record 1 is the activation at start: the first record that names the policy.
  EXPECT_NE(edited.find("BROKEN at record 1"), std::string::npos) << edited;
  EXPECT_NE(edited.find("has a stored text that does not match its sha256 (edited)"),
            std::string::npos)
      << edited;
  {
    SQLite::Database db((s.data_dir() / "audit.db").string(), SQLite::OPEN_READWRITE);
    db.exec("DELETE FROM policies");
  }
  auto [removed_rc, removed] = run_kyc("audit verify --data-dir " + dir);
  EXPECT_EQ(removed_rc, 1);
  EXPECT_NE(removed.find("is not in the log: its text was removed"), std::string::npos) << removed;
}

TEST(Audit, NoDecisionIsAnsweredWhenTheLogCannotBeWritten) {
  ServerProcess s({"--audit-busy-timeout", "200"});
  ASSERT_FALSE(post(s.port(), evaluate_body(1)).empty());
  {
    // Another process holds the write lock: the service cannot commit.
    SQLite::Database db((s.data_dir() / "audit.db").string(), SQLite::OPEN_READWRITE);
    db.exec("BEGIN IMMEDIATE");
    int status = 0;
    EXPECT_EQ(post(s.port(), evaluate_body(2), &status), "");
    EXPECT_EQ(status, 503);
    db.exec("ROLLBACK");
  }
  // It recovers once the log is writable again, and the chain has no hole.
  EXPECT_FALSE(post(s.port(), evaluate_body(3)).empty());
  auto [rc, out] = run_kyc("audit verify --data-dir " + s.data_dir().string());
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("ok: 3 records"), std::string::npos) << out;  // and the activation
}

TEST(Audit, KillNineUnderLoadLosesNoAnsweredDecision) {
  ServerProcess s({"--token-rate", "0", "--address-rate", "0"});  // a load test: no 429s
  std::mt19937 rng(7);
  std::set<std::string> answered;
  for (int round = 0; round < 5; ++round) {
    std::mutex mutex;
    std::atomic<bool> stop{false};
    std::vector<std::thread> clients;
    for (int t = 0; t < 4; ++t)
      clients.emplace_back([&, t] {
        Connection c(s.port());
        for (int i = 0; !stop; ++i) {
          if (!c.send(request("POST", "/v1/evaluate", evaluate_body(t * 1000 + i), kEvaluateToken)))
            return;
          auto r = c.read(2000ms);
          if (!r) return;  // the server died under us
          if (r->status == 200) {
            std::lock_guard lock(mutex);
            answered.insert(
                std::string(json::parse(r->body).as_object().at("decision_id").as_string()));
          }
        }
      });
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + rng() % 300));
    s.kill9();
    stop = true;
    for (auto& c : clients) c.join();
    s.start();
    ASSERT_GT(s.port(), 0) << s.log();
  }
  ASSERT_GT(answered.size(), 50u);
  // Every decision a client got a 200 for is in the log.
  SQLite::Database db((s.data_dir() / "audit.db").string(), SQLite::OPEN_READONLY);
  std::set<std::string> recorded;
  SQLite::Statement q(db, "SELECT decision_id FROM decisions WHERE stage != 'activation'");
  while (q.executeStep()) recorded.insert(q.getColumn(0).getString());
  for (const auto& id : answered)
    EXPECT_TRUE(recorded.count(id)) << id << " was answered but not recorded";
  auto [verify_rc, verify_out] = run_kyc("audit verify --data-dir " + s.data_dir().string());
  EXPECT_EQ(verify_rc, 0) << verify_out;
  auto [replay_rc, replay_out] = run_kyc("replay --data-dir " + s.data_dir().string());
  EXPECT_EQ(replay_rc, 0) << replay_out;
  EXPECT_NE(replay_out.find("match: " + std::to_string(recorded.size()) + " of " +
                            std::to_string(recorded.size())),
            std::string::npos)
      << replay_out;
}

namespace {

json::object decision_of(int port, const std::string& body) {
  Connection c(port);
  c.send(request("POST", "/v1/evaluate", body, kEvaluateToken));
  auto r = c.read();
  return r && r->status == 200 ? json::parse(r->body).as_object() : json::object{};
}

}  // namespace

TEST(AccountStore, LinkedDocumentsAndFailedAttemptsBecomeFacts) {
  ServerProcess s;
  EXPECT_EQ(decision_of(s.port(), approvable("alice", "P1234567")).at("outcome").as_string(),
            "approve");
  // The same document (written differently) for another account: over the limit.
  auto other = decision_of(s.port(), approvable("bob", "p123-4567"));
  EXPECT_EQ(other.at("outcome").as_string(), "reject") << json::serialize(other);
  EXPECT_NE(json::serialize(other).find("DOC_ACCOUNT_LIMIT"), std::string::npos);
  // Alice again with her own document: still fine.
  EXPECT_EQ(decision_of(s.port(), approvable("alice", "P1234567")).at("outcome").as_string(),
            "approve");
  // Failed attempts are counted per account and reach the resubmission cap.
  for (int i = 0; i < 9; ++i) {
    std::string body = evaluate_body(0);  // expired and blurry: fails
    json::object b = json::parse(body).as_object();
    b["account_id"] = "dave";
    decision_of(s.port(), json::serialize(b));
  }
  auto capped = decision_of(s.port(), approvable("dave", "D1"));
  EXPECT_NE(json::serialize(capped).find("RESUBMISSION_LIMIT"), std::string::npos)
      << json::serialize(capped);
  // Raw document numbers are never stored.
  SQLite::Database db((s.data_dir() / "audit.db").string(), SQLite::OPEN_READONLY);
  EXPECT_EQ(
      db.execAndGet("SELECT COUNT(*) FROM document_links WHERE document_hash LIKE '%1234567%'")
          .getInt(),
      0);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM document_links").getInt(), 1);
}

TEST(AccountStore, NoCombinationOfCallerFactsTurnsTheLimitIntoApprove) {
  // Alice's document verified her account; Bob's requests with the same document try every
  // way a caller could talk the store's facts away.
  ServerProcess s;
  ASSERT_EQ(decision_of(s.port(), approvable("alice", "P1234567")).at("outcome").as_string(),
            "approve");
  int tried = 0;
  for (const char* number : {"keep", "omit", "null"})
    for (const char* accounts : {"none", "dotted", "nested", "negative"})
      for (bool matches : {false, true})
        for (bool with_account : {true, false}) {
          json::object b = json::parse(approvable("bob", "P1234567")).as_object();
          json::object& facts = b["facts"].as_object();
          json::object& doc = facts["document"].as_object();
          if (std::string(number) == "omit") doc.erase("number");
          if (std::string(number) == "null") doc["number"] = nullptr;
          if (std::string(accounts) == "dotted") facts["account.document_accounts"] = 0;
          if (std::string(accounts) == "nested")
            facts["account"] = json::object{{"document_accounts", 0}, {"failed_attempts", 0}};
          if (std::string(accounts) == "negative") facts["account.document_accounts"] = -5;
          if (matches) facts["primary.document_matches"] = true;
          if (!with_account) b.erase("account_id");
          auto d = decision_of(s.port(), json::serialize(b));
          ASSERT_TRUE(d.contains("outcome")) << json::serialize(b);
          EXPECT_NE(d.at("outcome").as_string(), "approve") << json::serialize(b);
          if (std::string(accounts) != "none" || matches) {
            EXPECT_TRUE(d.contains("ignored_facts")) << json::serialize(d);
          }
          ++tried;
        }
  EXPECT_EQ(tried, 48);
  // With the number and the account, the store's count decides: the reason is the limit.
  auto plain = decision_of(s.port(), approvable("bob", "P1234567"));
  EXPECT_EQ(plain.at("outcome").as_string(), "reject");
  // Without an account the account rules are undetermined: never approve, even for a fresh
  // document no account has used.
  json::object fresh = json::parse(approvable("carol", "C7654321")).as_object();
  fresh.erase("account_id");
  auto undetermined = decision_of(s.port(), json::serialize(fresh));
  EXPECT_EQ(undetermined.at("outcome").as_string(), "review");
  EXPECT_NE(json::serialize(undetermined).find("account.document_accounts"), std::string::npos);
}

TEST(AccountStore, ConcurrentApprovalsOfOneDocumentNeverBothPassTheLimit) {
  ServerProcess s;
  int approvals_over_limit = 0, rejected_by_limit = 0;
  for (int round = 0; round < 40; ++round) {
    std::string number = "RACE" + std::to_string(round);
    Connection a(s.port()), b(s.port());
    // Fresh accounts each round, so that failed attempts do not reach the resubmission cap.
    std::string ra =
        request("POST", "/v1/evaluate", approvable("a-" + number, number), kEvaluateToken);
    std::string rb =
        request("POST", "/v1/evaluate", approvable("b-" + number, number), kEvaluateToken);
    std::atomic<int> ready{0};
    auto fire = [&](Connection& c, const std::string& raw) {
      ++ready;
      while (ready < 2) {
      }
      c.send(raw);
    };
    std::thread ta([&] { fire(a, ra); }), tb([&] { fire(b, rb); });
    ta.join();
    tb.join();
    auto x = a.read(), y = b.read();
    ASSERT_TRUE(x && y);
    ASSERT_EQ(x->status, 200) << x->body;
    ASSERT_EQ(y->status, 200) << y->body;
    int approved = (x->body.find("\"outcome\":\"approve\"") != std::string::npos) +
                   (y->body.find("\"outcome\":\"approve\"") != std::string::npos);
    approvals_over_limit += approved > 1;
    rejected_by_limit += (x->body + y->body).find("DOC_ACCOUNT_LIMIT") != std::string::npos;
    EXPECT_EQ(approved, 1) << x->body << "\n" << y->body;
  }
  EXPECT_EQ(approvals_over_limit, 0);
  EXPECT_EQ(rejected_by_limit, 40);
  SQLite::Database db((s.data_dir() / "audit.db").string(), SQLite::OPEN_READONLY);
  EXPECT_EQ(
      db.execAndGet(
            "SELECT COUNT(*) FROM (SELECT document_hash FROM document_links GROUP BY document_hash "
            "HAVING COUNT(*) > 1)")
          .getInt(),
      0);
  auto [rc, out] = run_kyc("replay --data-dir " + s.data_dir().string());
  EXPECT_EQ(rc, 0) << out;
}

TEST(Audit, ReplayEndpointAndAccountHistoryWithPaging) {
  ServerProcess s;
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i)
    ids.push_back(post(s.port(), evaluate_body(7 * i)));  // all for acct-0
  auto get = [&](const std::string& method, const std::string& path, const std::string& token) {
    Connection c(s.port());
    c.send(request(method, path, "", token));
    return c.read().value_or(Response{});
  };
  auto replayed = get("POST", "/v1/verifications/" + ids[2] + "/replay", kAuditToken);
  ASSERT_EQ(replayed.status, 200) << replayed.body;
  EXPECT_NE(replayed.body.find("\"match\":true"), std::string::npos) << replayed.body;
  EXPECT_EQ(get("POST", "/v1/verifications/" + ids[2] + "/replay", kEvaluateToken).status, 403);
  // Paging: 2 per page, in order, with a cursor.
  auto page1 =
      json::parse(get("GET", "/v1/accounts/acct-0/verifications?limit=2", kAuditToken).body)
          .as_object();
  ASSERT_EQ(page1.at("items").as_array().size(), 2u);
  EXPECT_EQ(page1.at("items").as_array()[0].as_object().at("decision_id").as_string(), ids[0]);
  int64_t after = page1.at("next_after").as_int64();
  auto page3 =
      json::parse(
          get("GET", "/v1/accounts/acct-0/verifications?limit=2&after=" + std::to_string(after + 2),
              kAuditToken)
              .body)
          .as_object();
  EXPECT_EQ(page3.at("items").as_array().size(), 1u);
  EXPECT_TRUE(page3.at("next_after").is_null());
  // The evaluate role gets the status view: no facts, no evidence.
  auto status = get("GET", "/v1/accounts/acct-0/verifications", kEvaluateToken);
  ASSERT_EQ(status.status, 200);
  EXPECT_EQ(status.body.find("evidence"), std::string::npos) << status.body;
  EXPECT_EQ(status.body.find("facts"), std::string::npos);
  EXPECT_NE(status.body.find("\"outcome\""), std::string::npos);
}

namespace {

Response get_notice(int port, const std::string& id, const std::string& locale) {
  Connection c(port);
  c.send(
      request("GET", "/v1/verifications/" + id + "/notice?locale=" + locale, "", kEvaluateToken));
  return c.read().value_or(Response{});
}

json::object notice_of(int port, const std::string& id, const std::string& locale) {
  auto r = get_notice(port, id, locale);
  EXPECT_EQ(r.status, 200) << r.body;
  return r.status == 200 ? json::parse(r.body).as_object() : json::object{};
}

std::string text_of(const json::object& notice) {
  return notice.contains("text") ? std::string(notice.at("text").as_string()) : "";
}

}  // namespace

TEST(Audit, NoticeRendersTheEmailInTheAskedLocale) {
  ServerProcess s;
  std::string id = post(s.port(), evaluate_body(0));  // expired and blurry: resubmit
  auto n = notice_of(s.port(), id, "en");
  EXPECT_EQ(n.at("subject").as_string(), "Action needed: please send your identity document again");
  std::string text = text_of(n);
  EXPECT_TRUE(text.starts_with("Hello,\n\nWe could not verify the identity document")) << text;
  EXPECT_NE(text.find("expired"), std::string::npos) << text;
  EXPECT_NE(text.find("upload a new photo"), std::string::npos) << text;
  EXPECT_NE(std::string(n.at("html").as_string()).find("<li>"), std::string::npos);
  auto zh = notice_of(s.port(), id, "zh");
  EXPECT_EQ(zh.at("locale").as_string(), "zh");
  EXPECT_EQ(zh.at("subject").as_string(), "需要您重新提交身份证件");
  EXPECT_TRUE(text_of(zh).ends_with("如仍未通过，请联系我们的客服团队。\n")) << text_of(zh);
  EXPECT_EQ(get_notice(s.port(), id, "fr").status, 422);
}

// A reject is final: its e-mail lists the reason that made it so, not a lower reason's "take a
// new photo", and its closing says how to reach support, not how to try again.
TEST(Audit, NoticeOfARejectDoesNotInviteARetry) {
  ServerProcess s;
  std::string approved = post(s.port(), approvable("alice", "P1234567"));
  auto ok = notice_of(s.port(), approved, "en");
  EXPECT_EQ(ok.at("subject").as_string(), "Your identity document has been verified");
  EXPECT_EQ(std::string(ok.at("html").as_string()).find("<li>"), std::string::npos);
  // Alice's document for Bob, and expired: the account limit rejects it, the expiry is moot.
  json::object body = json::parse(approvable("bob", "P1234567")).as_object();
  body["facts"].as_object()["document"].as_object()["expiry"] = "2024-01-01";
  std::string rejected = post(s.port(), json::serialize(body));
  auto zh = notice_of(s.port(), rejected, "zh");
  EXPECT_EQ(zh.at("subject").as_string(), "您的身份证件未能通过验证");
  std::string text = text_of(zh);
  EXPECT_TRUE(text.ends_with("。\n")) << text;
  EXPECT_NE(text.find("该证件已被使用"), std::string::npos) << text;  // DOC_ACCOUNT_LIMIT
  EXPECT_EQ(text.find("证件已过期"), std::string::npos) << text;      // DOC_EXPIRED, moot
  for (const char* retry : {"如仍未通过", "重新上传", "如果解决问题后仍未通过"})
    EXPECT_EQ(text.find(retry), std::string::npos) << retry << "\n" << text;
  std::string en = text_of(notice_of(s.port(), rejected, "en"));
  EXPECT_NE(en.find("This decision is final"), std::string::npos) << en;
  for (const char* retry : {"upload a new photo", "still does not work", "fixed the cause"})
    EXPECT_EQ(en.find(retry), std::string::npos) << retry << "\n" << en;
}

// A policy's message may quote a personal fact: a backend (evaluate) gets the notice with the
// value withheld, and its account view has codes only; an auditor reads the notice whole.
TEST(Audit, PersonalFactsAreWithheldFromABackend) {
  ServerProcess s;
  std::string text;
  ASSERT_TRUE(kyc::dsl::read_file(s.policy_path().string(), text));
  const std::string said = "\"The document you submitted expired on {document.expiry}.\"";
  size_t at = text.find(said);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, said.size(),
               "\"The document of {document.name} ({document.number}) expired on {document.expiry}.\"");
  size_t version = text.find("version \"");
  text.insert(version + 9, "quotes-");
  std::ofstream(s.policy_path()) << text;
  std::string id;
  for (int i = 0; i < 50 && id.find("quotes") == std::string::npos; ++i) {  // the reload
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    Connection c(s.port());
    c.send(request("GET", "/v1/policies", "", kAuditToken));
    id = c.read().value_or(Response{}).body;
  }
  ASSERT_NE(id.find("quotes"), std::string::npos) << id;
  json::object body = json::parse(evaluate_body(0)).as_object();  // expired
  auto& document = body["facts"].as_object()["document"].as_object();
  document["name"] = "MUELLER ANNA MARIA";
  document["number"] = "C01X00T47";
  id = post(s.port(), json::serialize(body));
  ASSERT_FALSE(id.empty());
  std::string backend = text_of(notice_of(s.port(), id, "en"));
  EXPECT_NE(backend.find("The document of *** (***) expired on"), std::string::npos) << backend;
  EXPECT_EQ(backend.find("MUELLER"), std::string::npos) << backend;
  EXPECT_EQ(backend.find("C01X00T47"), std::string::npos) << backend;
  Connection c(s.port());
  c.send(request("GET", "/v1/verifications/" + id + "/notice?locale=en", "", kAuditToken));
  auto auditor = c.read().value_or(Response{});
  EXPECT_NE(auditor.body.find("The document of MUELLER ANNA MARIA (C01X00T47)"), std::string::npos)
      << auditor.body;
  Connection v(s.port());
  v.send(request("GET", "/v1/accounts/acct-0/verifications", "", kEvaluateToken));
  auto view = v.read().value_or(Response{});
  ASSERT_EQ(view.status, 200) << view.body;
  EXPECT_EQ(view.body.find("MUELLER"), std::string::npos) << view.body;
  EXPECT_EQ(view.body.find("\"detail\""), std::string::npos) << view.body;
  EXPECT_NE(view.body.find("\"code\":\"DOC_EXPIRED\""), std::string::npos) << view.body;
}

TEST(Audit, ABackendDoesNotGetTheAccountsPrimaryDataBackInTheEvidence) {
  // An evaluate token sent any account id and a made-up name, and the mismatch's evidence
  // answered with the name the account store holds.
  ServerProcess s;
  Connection put(s.port());
  put.send(request("PUT", "/v1/accounts/victim/primary",
                   R"({"full_name": "Jane \"Victim\" Doe", "birth_date": "1970-01-02",
                       "country": "GB", "document_type": "passport", "document_number": "G1234"})",
                   kEvaluateToken));
  ASSERT_EQ(put.read().value_or(Response{}).status, 200);
  json::object body = json::parse(approvable("victim", "G1234")).as_object();
  body["facts"].as_object()["document"].as_object()["name"] = "X";
  auto evaluate = [&](const std::string& token, const std::string& key) {
    Connection c(s.port());
    c.send(request("POST", "/v1/evaluate", json::serialize(body), token, "application/json",
                   "Idempotency-Key: " + key + "\r\n"));
    return c.read().value_or(Response{});
  };
  auto backend = evaluate(kEvaluateToken, "probe-1");
  ASSERT_EQ(backend.status, 200) << backend.body;
  EXPECT_NE(backend.body.find("KYC_DATA_MISMATCH"), std::string::npos) << backend.body;
  EXPECT_EQ(backend.body.find("Victim"), std::string::npos) << backend.body;
  EXPECT_NE(backend.body.find(R"("primary.name":"***")"), std::string::npos) << backend.body;
  EXPECT_NE(backend.body.find(R"("document.name":"X")"), std::string::npos) << backend.body;
  // Its retry gets the recorded decision, which withholds every personal value.
  auto again = evaluate(kEvaluateToken, "probe-1");
  EXPECT_EQ(again.headers["idempotent-replayed"], "true");
  EXPECT_EQ(again.body.find("Victim"), std::string::npos) << again.body;
  // An auditor reads what was decided, whole, and the record keeps it whole for replay.
  auto auditor = evaluate(kAdminToken, "probe-2");
  EXPECT_NE(auditor.body.find(R"("primary.name":"Jane \"Victim\" Doe")"), std::string::npos)
      << auditor.body;
  auto [rc, out] = run_kyc("replay --data-dir " + s.data_dir().string());
  EXPECT_EQ(rc, 0) << out;
}

// Decisions made by a policy without a notice block (one written before notices were) get a
// problem that says so, not wording made up by the server.
TEST(Audit, NoticeOfAPolicyWithoutNoticeTextsIsAProblem) {
  ServerProcess s;
  std::string text;
  ASSERT_TRUE(kyc::dsl::read_file(s.policy_path().string(), text));
  size_t notices = text.find("\nnotice ");
  ASSERT_NE(notices, std::string::npos);
  text = text.substr(0, notices + 1);
  size_t version = text.find("version \"");
  text.insert(version + 9, "no-notice-");
  std::ofstream(s.policy_path()) << text;
  Connection c(s.port());
  c.send(request("POST", "/v1/admin/reload", "", kAdminToken));
  auto reloaded = c.read().value_or(Response{});
  ASSERT_EQ(reloaded.status, 200) << reloaded.body;
  std::string id = post(s.port(), evaluate_body(0));
  auto r = get_notice(s.port(), id, "en");
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_NE(r.body.find("no-notice"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("has no `notice` block"), std::string::npos) << r.body;
}

TEST(AccountStore, PrimaryDataFromThePutEndpointAndFromCsvImportBecomeFacts) {
  ServerProcess s;
  auto put = [&](const std::string& account, const std::string& body) {
    Connection c(s.port());
    c.send(request("PUT", "/v1/accounts/" + account + "/primary", body, kEvaluateToken));
    return c.read().value_or(Response{});
  };
  auto ok =
      put("erin", R"({"full_name": "Anna Maria Müller", "birth_date": "1990-04-01", "country": "DE",
                           "document_type": "passport", "document_number": "P1234567"})");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(put("erin", R"({"full_name": "x"})").status, 422);
  // Same name, same number (written differently): approve. Another number: mismatch.
  EXPECT_EQ(decision_of(s.port(), approvable("erin", "p123 4567")).at("outcome").as_string(),
            "approve");
  auto other = decision_of(s.port(), approvable("erin", "Z9999999"));
  EXPECT_NE(json::serialize(other).find("KYC_DATA_MISMATCH"), std::string::npos)
      << json::serialize(other);
  // CSV import into the same data folder; the number is stored only as a hash.
  std::string csv = (s.data_dir() / "accounts.csv").string();
  std::ofstream(csv) << "account_id,full_name,birth_date,country,document_type,document_number\n"
                     << "frank,\"Smith, John\",1985-02-03,GB,passport,G7654321\n"
                     << "broken,No Date,03/02/1985,GB,passport,X1\n";
  auto [rc, out] = run_kyc("accounts import " + csv + " --data-dir " + s.data_dir().string());
  EXPECT_EQ(rc, 1) << out;  // one line rejected, and said so
  EXPECT_NE(out.find("imported 1 accounts, 1 rejected"), std::string::npos) << out;
  EXPECT_NE(out.find("accounts.csv:3: birth_date is not YYYY-MM-DD"), std::string::npos) << out;
  auto frank = decision_of(s.port(), approvable("frank", "G7654321"));
  EXPECT_NE(json::serialize(frank).find("KYC_DATA_MISMATCH"),
            std::string::npos)  // the name differs
      << json::serialize(frank);
  SQLite::Database db((s.data_dir() / "audit.db").string(), SQLite::OPEN_READONLY);
  EXPECT_EQ(
      db.execAndGet("SELECT COUNT(*) FROM accounts WHERE document_hash LIKE '%7654321%'").getInt(),
      0);
}

TEST(Audit, ReplayApiReportsTheImpactOfACandidatePolicy) {
  ServerProcess s;
  for (int i = 0; i < 6; ++i) post(s.port(), evaluate_body(i));  // 3 expired, 3 not
  std::string text;
  kyc::dsl::read_file(KYC_SOURCE_DIR "/policies/kyc.policy", text);
  std::string candidate = text;
  candidate.replace(candidate.find("when document.expiry < today"), 28,
                    "when document.expiry < today - 10000 days");
  auto call_replay = [&](const std::string& body) {
    Connection c(s.port());
    c.send(request("POST", "/v1/replay", body, kAuditToken));
    return c.read().value_or(Response{});
  };
  auto same = json::parse(call_replay("{}").body).as_object();
  EXPECT_EQ(same.at("records").as_int64(), 6);
  EXPECT_EQ(same.at("matched").as_int64(), 6);
  auto impact = call_replay(json::serialize(json::object{{"policy", candidate}}));
  ASSERT_EQ(impact.status, 200) << impact.body;
  auto r = json::parse(impact.body).as_object().at("impact").as_object();
  int64_t expired_before = -1, expired_after = -1;
  for (const auto& reason : r.at("reasons").as_array())
    if (reason.at("code").as_string() == "DOC_EXPIRED") {
      expired_before = reason.at("fired_before").as_int64();
      expired_after = reason.at("fired_after").as_int64();
    }
  EXPECT_EQ(expired_before - expired_after, 3) << impact.body;
  EXPECT_GE(r.at("changed").as_int64(), 1);
  EXPECT_EQ(call_replay(R"({"policy": "policy \"broken"})").status, 422);
}

// Issue 18: the audit log keeps the facts a policy did not declare, so a candidate that reads
// one finds it in history.
TEST(Audit, ACandidateReadingAFactTheShippedPolicyIgnoredFindsItInHistory) {
  ServerProcess s;
  // The shipped policy declares no birth date; the callers send one all the same.
  for (int i = 0; i < 6; ++i) {
    json::object body = json::parse(evaluate_body(i)).as_object();
    body["facts"].as_object()["document"].as_object()["birth_date"] =
        i < 2 ? "2012-03-01" : "1980-03-01";
    ASSERT_FALSE(post(s.port(), json::serialize(body)).empty());
  }
  std::string candidate;
  kyc::dsl::read_file(KYC_SOURCE_DIR "/policies/kyc.policy", candidate);
  candidate.replace(candidate.find("facts {\n"), 8, "facts {\n  document.birth_date : date?\n");
  candidate += R"(
reason UNDER_AGE {
  outcome reject
  when age(document.birth_date, today) < 18
  message en {
    title  "Too young"
    detail "Born on {document.birth_date}."
    action "Come back at 18."
  }
  message zh {
    title  "未满十八岁"
    detail "出生于 {document.birth_date}。"
    action "请在年满十八岁后再来。"
  }
}
)";
  auto call_replay = [&](const std::string& body) {
    Connection c(s.port());
    c.send(request("POST", "/v1/replay", body, kAuditToken));
    return c.read().value_or(Response{});
  };
  auto same = json::parse(call_replay("{}").body).as_object();
  EXPECT_EQ(same.at("matched").as_int64(), 6);  // the policy of the time skips the extra fact
  auto impact = call_replay(json::serialize(json::object{{"policy", candidate}}));
  ASSERT_EQ(impact.status, 200) << impact.body;
  auto r = json::parse(impact.body).as_object().at("impact").as_object();
  const json::object* under_age = nullptr;
  for (const auto& reason : r.at("reasons").as_array())
    if (reason.at("code").as_string() == "UNDER_AGE") under_age = &reason.as_object();
  ASSERT_NE(under_age, nullptr) << impact.body;
  EXPECT_EQ(under_age->at("fired_before").as_int64(), 0) << impact.body;
  EXPECT_EQ(under_age->at("fired_after").as_int64(), 2) << impact.body;
  EXPECT_TRUE(r.at("warnings").as_array().empty()) << "history holds the birth dates";
}
