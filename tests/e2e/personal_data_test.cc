// End-to-end: personal data at rest (docs/personal-data.md). After evaluations and a photo
// upload, no name, birth date or document number that was sent stands anywhere in the data
// folder's files, yet an auditor reads them through the API; erasing an account makes its
// facts unreadable through every endpoint and command while the chain still verifies and
// replay says `erased`.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <boost/json.hpp>
#include <random>

#include "http_client.h"
#include "multipart_body.h"
#include "server_process.h"
#include "tests/fixtures/camera.h"
#include "tests/fixtures/encode.h"
#include "tests/fixtures/identity.h"

using namespace kyc::e2e;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

Response send(int port, const std::string& method, const std::string& target,
              const std::string& token, const std::string& body = "") {
  return call(port, request(method, target, body, token));
}

std::string evaluate_body(const std::string& account, const std::string& name,
                          const std::string& number, const std::string& birth_date) {
  json::object document{{"name", name},
                        {"number", number},
                        {"birth_date", birth_date},
                        {"expiry", "2030-01-01"},
                        {"type", "passport"}};
  json::object body{{"facts", json::object{{"document", document}}}};
  if (!account.empty()) body["account_id"] = account;
  return json::serialize(body);
}

std::string put_primary_body(const std::string& name, const std::string& birth_date,
                             const std::string& number) {
  return json::serialize(json::object{{"full_name", name},
                                      {"birth_date", birth_date},
                                      {"country", "DE"},
                                      {"document_type", "passport"},
                                      {"document_number", number}});
}

std::string decision_id(const Response& r) {
  return std::string(json::parse(r.body).at("decision_id").as_string());
}

std::string iso(const kyc::common::CivilDate& d) {
  char out[11];
  std::snprintf(out, sizeof out, "%04d-%02d-%02d", d.year, d.month, d.day);
  return out;
}

// Every byte of every file in the folder, by file name.
std::map<std::string, std::string> folder_bytes(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::ifstream in(e.path(), std::ios::binary);
    out[e.path().filename().string()].assign(std::istreambuf_iterator<char>(in), {});
  }
  return out;
}

}  // namespace

TEST(PersonalData, TheDataFolderHoldsNoNameBirthDateOrDocumentNumberThatWasSent) {
  std::mt19937_64 rng(515151);
  auto passport = kyc::fixtures::random_document(rng, {kyc::fixtures::DocumentKind::Passport, true});
  auto shot = kyc::fixtures::stage_on_table(passport, rng, cv::Size(1600, 1200));
  kyc::fixtures::develop(shot, rng);
  std::string photo = kyc::fixtures::encode_jpeg(shot.frame, 92);

  ServerProcess server;
  int port = server.port();
  ASSERT_EQ(send(port, "PUT", "/v1/accounts/acct-photo/primary", kEvaluateToken,
                 put_primary_body("Maria Garcia Lopez", "1990-04-01", passport.document_number))
                .status,
            200);
  std::string meta = json::serialize(json::object{
      {"account_id", "acct-photo"}, {"document_type", "passport"}, {"locale", "en"}});
  auto uploaded = call(port, request("POST", "/v1/verifications",
                                     multipart({{"metadata", "", "application/json", meta},
                                                {"front", "p.jpg", "image/jpeg", photo}}),
                                     kEvaluateToken, kMultipartType));
  ASSERT_EQ(uploaded.status, 200) << uploaded.body;
  auto with_account = send(port, "POST", "/v1/evaluate", kEvaluateToken,
                           evaluate_body("acct-typed", "KOWALSKI ZYGMUNT", "ZK7719305", "1961-07-15"));
  ASSERT_EQ(with_account.status, 200) << with_account.body;
  auto without_account = send(port, "POST", "/v1/evaluate", kEvaluateToken,
                              evaluate_body("", "ADEYEMI OLUWASEUN", "NG4471902", "1977-11-23"));
  ASSERT_EQ(without_account.status, 200) << without_account.body;

  // The auditor reads what the photo gave, in clear: the values were recorded.
  auto audited = send(port, "GET", "/v1/verifications/" + decision_id(uploaded), kAuditToken);
  ASSERT_EQ(audited.status, 200);
  auto facts = json::parse(audited.body).at("facts").as_object();
  ASSERT_TRUE(facts.contains("document.number")) << audited.body;
  EXPECT_EQ(facts.at("document.number").as_string(), passport.document_number);
  EXPECT_EQ(facts.at("file.sha256").as_string().size(), 64u);

  std::vector<std::string> sent = {"Maria Garcia Lopez", "1990-04-01", passport.document_number,
                                   passport.surname, iso(passport.birth_date),
                                   "KOWALSKI", "ZK7719305", "1961-07-15",
                                   "ADEYEMI", "NG4471902", "1977-11-23",
                                   std::string(facts.at("file.sha256").as_string())};
  for (const auto& [file, bytes] : folder_bytes(server.data_dir()))
    for (const auto& value : sent)
      EXPECT_EQ(bytes.find(value), std::string::npos) << value << " stands in " << file;

  // The folder is the service's alone.
  struct stat st {};
  ASSERT_EQ(stat(server.data_dir().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  for (const auto& e : fs::directory_iterator(server.data_dir())) {
    ASSERT_EQ(stat(e.path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u) << e.path();
  }
}

TEST(PersonalData, AnErasedAccountIsUnreadableEverywhereAndTheChainStillVerifies) {
  ServerProcess server;
  int port = server.port();
  ASSERT_EQ(send(port, "PUT", "/v1/accounts/acct-gone/primary", kEvaluateToken,
                 put_primary_body("KOWALSKI ZYGMUNT", "1961-07-15", "ZK7719305"))
                .status,
            200);
  auto gone = send(port, "POST", "/v1/evaluate", kEvaluateToken,
                   evaluate_body("acct-gone", "KOWALSKI ZYGMUNT", "ZK7719305", "1961-07-15"));
  ASSERT_EQ(gone.status, 200) << gone.body;
  auto kept = send(port, "POST", "/v1/evaluate", kEvaluateToken,
                   evaluate_body("acct-kept", "ADEYEMI OLUWASEUN", "NG4471902", "1977-11-23"));
  ASSERT_EQ(kept.status, 200);

  EXPECT_EQ(send(port, "DELETE", "/v1/accounts/acct-gone", kEvaluateToken).status, 403);
  auto erased = send(port, "DELETE", "/v1/accounts/acct-gone", kAdminToken);
  ASSERT_EQ(erased.status, 200) << erased.body;
  EXPECT_EQ(json::parse(erased.body).at("outcome").as_string(), "key-destroyed");
  EXPECT_EQ(json::parse(send(port, "DELETE", "/v1/accounts/acct-gone", kAdminToken).body)
                .at("outcome")
                .as_string(),
            "already-erased");

  // Every reader: the record, its notice, its replay, the account's list.
  auto record = send(port, "GET", "/v1/verifications/" + decision_id(gone), kAuditToken);
  ASSERT_EQ(record.status, 200);
  EXPECT_EQ(record.body.find("KOWALSKI"), std::string::npos) << record.body;
  EXPECT_FALSE(json::parse(record.body).at("erased_facts").as_array().empty());
  auto notice = send(port, "GET", "/v1/verifications/" + decision_id(gone) + "/notice", kAdminToken);
  EXPECT_EQ(notice.body.find("KOWALSKI"), std::string::npos) << notice.body;
  auto replayed =
      send(port, "POST", "/v1/verifications/" + decision_id(gone) + "/replay", kAuditToken, "{}");
  ASSERT_EQ(replayed.status, 200);
  auto r = json::parse(replayed.body).as_object();
  EXPECT_TRUE(r.at("match").as_bool()) << replayed.body;
  EXPECT_FALSE(r.at("erased").at("facts").as_array().empty()) << replayed.body;
  auto list = send(port, "GET", "/v1/accounts/acct-gone/verifications", kAuditToken);
  EXPECT_EQ(list.body.find("KOWALSKI"), std::string::npos);
  // The account takes no new personal data; the other account is untouched.
  EXPECT_EQ(send(port, "POST", "/v1/evaluate", kEvaluateToken,
                 evaluate_body("acct-gone", "KOWALSKI ZYGMUNT", "ZK7719305", "1961-07-15"))
                .status,
            410);
  EXPECT_EQ(send(port, "PUT", "/v1/accounts/acct-gone/primary", kEvaluateToken,
                 put_primary_body("KOWALSKI ZYGMUNT", "1961-07-15", "ZK7719305"))
                .status,
            410);
  // Nor new decisions, even without a personal fact to seal (one was recorded before).
  EXPECT_EQ(send(port, "POST", "/v1/evaluate", kEvaluateToken,
                 R"({"account_id": "acct-gone", "facts": {"file": {"format": "jpeg"}}})")
                .status,
            410);
  auto other = send(port, "GET", "/v1/verifications/" + decision_id(kept), kAuditToken);
  EXPECT_NE(other.body.find("ADEYEMI OLUWASEUN"), std::string::npos);

  server.signal(SIGTERM);
  ASSERT_EQ(server.wait_exit(15s), 0);
  std::string dir = server.data_dir().string();
  auto [verify_status, verify_out] = run_kyc("audit verify --data-dir " + dir);
  EXPECT_EQ(verify_status, 0) << verify_out;
  auto [replay_status, replay_out] = run_kyc("replay --data-dir " + dir);
  EXPECT_EQ(replay_status, 0) << replay_out;
  EXPECT_NE(replay_out.find("erased: 1 "), std::string::npos) << replay_out;
  // The command erases as the route does; replay then finds both accounts erased.
  auto [erase_status, erase_out] = run_kyc("accounts erase acct-kept --data-dir " + dir);
  EXPECT_EQ(erase_status, 0) << erase_out;
  EXPECT_NE(erase_out.find("key-destroyed"), std::string::npos) << erase_out;
  std::tie(replay_status, replay_out) = run_kyc("replay --data-dir " + dir);
  EXPECT_EQ(replay_status, 0) << replay_out;
  EXPECT_NE(replay_out.find("erased: 2 "), std::string::npos) << replay_out;
  std::tie(verify_status, verify_out) = run_kyc("audit verify --data-dir " + dir);
  EXPECT_EQ(verify_status, 0) << verify_out;
}

// `--retention` as the service runs it: the sweep reads the log through a read handle of its
// own (its account index walk took 1.0 s on 200,000 decisions) and runs at start and then on
// its interval, while the service goes on deciding. Recent accounts are not erased.
TEST(PersonalData, TheRetentionSweepRunsAtStartAndOnItsIntervalBesideTheService) {
  ServerProcess s({"--retention", "1d", "--retention-sweep-interval", "100"});
  for (int i = 0; i < 3; ++i) {
    auto r = send(s.port(), "POST", "/v1/evaluate", kEvaluateToken,
                  evaluate_body("acct-" + std::to_string(i), "Ann Lee", "P0000000", "1990-01-01"));
    ASSERT_EQ(r.status, 200) << r.body;
  }
  auto sweeps = [&] {
    std::string log = s.log();
    size_t n = 0;
    for (size_t at = log.find("\"retention_sweep\""); at != std::string::npos;
         at = log.find("\"retention_sweep\"", at + 1))
      ++n;
    return n;
  };
  for (int i = 0; i < 100 && sweeps() < 3; ++i) std::this_thread::sleep_for(50ms);
  EXPECT_GE(sweeps(), 3u) << s.log();
  EXPECT_EQ(s.log().find("retention_sweep_failed"), std::string::npos) << s.log();
  EXPECT_EQ(s.log().find("\"accounts_erased\":1"), std::string::npos) << s.log();
  auto after = send(s.port(), "POST", "/v1/evaluate", kEvaluateToken,
                    evaluate_body("acct-0", "Ann Lee", "P0000000", "1990-01-01"));
  EXPECT_EQ(after.status, 200) << after.body;
}

