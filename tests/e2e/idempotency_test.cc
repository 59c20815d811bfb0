// Idempotency-Key: a retried request gets its first try's decision back, counts one attempt,
// and a key cannot be reused for another request.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <boost/json.hpp>
#include <set>
#include <thread>

#include "dsl/policy_loader.h"
#include "http_client.h"
#include "multipart_body.h"
#include "server_process.h"

using namespace kyc::e2e;
namespace json = boost::json;

namespace {

// An expired passport for `account`: a failed attempt each time it is recorded.
std::string expired_for(const std::string& account) {
  std::string text;
  kyc::dsl::read_file(KYC_SOURCE_DIR "/policies/examples/expired-passport.json", text);
  json::object facts = json::parse(text).as_object();
  facts.erase("today");
  facts.erase("account");
  facts.erase("primary");
  return json::serialize(json::object{{"facts", facts}, {"account_id", account}});
}

Response post(int port, const std::string& body, const std::string& key,
              const std::string& token = kEvaluateToken) {
  Connection c(port);
  c.send(request("POST", "/v1/evaluate", body, token, "application/json",
                 key.empty() ? "" : "Idempotency-Key: " + key + "\r\n"));
  return c.read().value_or(Response{});
}

std::string id_of(const Response& r) {
  if (r.status != 200) return "";
  return std::string(json::parse(r.body).at("decision_id").as_string());
}

int64_t attempts(const ServerProcess& s, const std::string& account) {
  SQLite::Database db((s.data_dir() / "audit.db").string(), SQLite::OPEN_READONLY);
  SQLite::Statement q(db, "SELECT total FROM attempts WHERE account_id = ?");
  q.bind(1, account);
  return q.executeStep() ? q.getColumn(0).getInt64() : 0;
}

}  // namespace

TEST(Idempotency, ARetryGetsTheRecordedDecisionAndCountsOneAttempt) {
  ServerProcess s;
  std::string body = expired_for("ida");
  auto first = post(s.port(), body, "retry-0001");
  ASSERT_EQ(first.status, 200) << first.body;
  auto again = post(s.port(), body, "retry-0001");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(id_of(again), id_of(first));
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.headers["idempotent-replayed"], "true");
  EXPECT_EQ(attempts(s, "ida"), 1);
  // Without a key, the same body is a new decision and a new attempt.
  auto fresh = post(s.port(), body, "");
  EXPECT_NE(id_of(fresh), id_of(first));
  EXPECT_EQ(attempts(s, "ida"), 2);
  // The same key with another body: refused, nothing recorded.
  auto other = post(s.port(), expired_for("someone-else"), "retry-0001");
  EXPECT_EQ(other.status, 422) << other.body;
  EXPECT_NE(other.body.find("idempotency-key-reused"), std::string::npos);
  EXPECT_EQ(attempts(s, "someone-else"), 0);
  // A key is the caller's own: another token's same key is another request.
  auto admin = post(s.port(), body, "retry-0001", kAdminToken);
  EXPECT_EQ(admin.status, 200);
  EXPECT_NE(id_of(admin), id_of(first));
}

TEST(Idempotency, ARetriedUploadWithANewBoundaryGetsTheRecordedDecision) {
  ServerProcess s;
  // A client builds the body again for a retry, with a boundary of its own each time.
  auto upload = [&](const std::string& photo, const std::string& boundary) {
    std::string metadata = R"({"account_id":"upload-retry","document_type":"passport"})";
    Connection c(s.port());
    c.send(request("POST", "/v1/verifications",
                   multipart({{"metadata", "", "application/json", metadata},
                              {"front", "photo.jpg", "image/jpeg", photo}},
                             boundary),
                   kEvaluateToken, "multipart/form-data; boundary=" + boundary,
                   "Idempotency-Key: upload-0001\r\n"));
    return c.read(std::chrono::milliseconds(30000)).value_or(Response{});
  };
  auto first = upload("not a photo, some bytes", "----first-try-4f1a");
  ASSERT_EQ(first.status, 200) << first.body;
  auto again = upload("not a photo, some bytes", "----second-try-90bc");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(id_of(again), id_of(first));
  EXPECT_EQ(again.headers["idempotent-replayed"], "true");
  EXPECT_EQ(attempts(s, "upload-retry"), 1);
  // Another photo under the same key is another request, whatever the boundary.
  auto other = upload("another photo's bytes", "----first-try-4f1a");
  EXPECT_EQ(other.status, 422) << other.body;
  EXPECT_EQ(attempts(s, "upload-retry"), 1);
}

TEST(Idempotency, ConcurrentRetriesRecordOneDecision) {
  ServerProcess s;
  std::string body = expired_for("concurrent");
  std::vector<std::string> ids(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < ids.size(); ++i)
    threads.emplace_back([&, i] { ids[i] = id_of(post(s.port(), body, "same-key-at-once")); });
  for (auto& t : threads) t.join();
  std::set<std::string> distinct(ids.begin(), ids.end());
  EXPECT_EQ(distinct.size(), 1u);
  EXPECT_FALSE(ids[0].empty());
  EXPECT_EQ(attempts(s, "concurrent"), 1);
}

TEST(Idempotency, MalformedKeysAreRefused) {
  ServerProcess s;
  std::string body = expired_for("k");
  EXPECT_EQ(post(s.port(), body, std::string(256, 'k')).status, 400);
  EXPECT_EQ(post(s.port(), body, "has space").status, 400);
  EXPECT_EQ(post(s.port(), body, std::string(255, 'k')).status, 200);
}
