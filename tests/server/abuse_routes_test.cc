// The abuse limits through the route table, without sockets: a token over its rate and an
// address over its rate get 429 with Retry-After and a problem; unknown tokens pause their
// address for every request that needs a token, a right one included; probes are never
// throttled; a request that did not come from the network is not limited per address; each
// refusal is counted in /metrics by cause.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "server/api.h"

using namespace kyc::server;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

const std::string kAlice = "alice-token-000000000001";
const std::string kBob = "bob-token-00000000000001";

class AbuseRoutes : public ::testing::Test {
 protected:
  void start(const Limits& limits) {
    dir_ = fs::temp_directory_path() /
           ("kyc-abuse-routes-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    std::ofstream(dir_ / "tokens")
        << kyc::service::token_line(kAlice, kyc::service::kEvaluate) << " alice\n"
        << kyc::service::token_line(kBob, kyc::service::kAudit) << " bob\n";
    tokens_ = *TokenFile::open((dir_ / "tokens").string());
    options_.limits = limits;
    api_ = std::make_unique<Api>(options_, policies_, metrics_, tokens_.get());
  }
  void TearDown() override {
    api_.reset();
    fs::remove_all(dir_);
  }
  HttpResponse get(const std::string& target, const std::string& token,
                   const std::string& address = "192.0.2.7") {
    auto ex = std::make_shared<Exchange>();
    ex->request.method = "GET";
    ex->request.target = target;
    if (!token.empty()) ex->request.authorization = "Bearer " + token;
    ex->request.client_address = address;
    HttpResponse out;
    ex->reply = [&out](HttpResponse r, const RequestNotes&) { out = std::move(r); };
    api_->handle(ex);
    return out;
  }
  static std::string header(const HttpResponse& r, const std::string& name) {
    for (const auto& [n, v] : r.headers)
      if (n == name) return v;
    return "";
  }
  static Limits unlimited() {
    Limits l;
    l.token_rate = l.address_rate = 0;
    l.bad_token_limit = 0;
    return l;
  }

  fs::path dir_;
  ServeOptions options_;
  Metrics metrics_;
  PolicyStore policies_{"/nonexistent", "kyc.policy"};
  std::unique_ptr<TokenFile> tokens_;
  std::unique_ptr<Api> api_;
};

}  // namespace

TEST_F(AbuseRoutes, ATokenOverItsRateGets429WithRetryAfter) {
  Limits l = unlimited();
  l.token_rate = 1;
  l.token_burst = 3;
  start(l);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(get("/v1/me", kAlice).status, 200) << i;
  auto r = get("/v1/me", kAlice);
  ASSERT_EQ(r.status, 429) << r.body;
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_EQ(header(r, "Retry-After"), "1");
  auto body = json::parse(r.body).as_object();
  EXPECT_EQ(body.at("type").as_string(), "https://kycd.dev/problems/rate-limited");
  EXPECT_EQ(body.at("status").as_int64(), 429);
  EXPECT_EQ(body.at("retry_after").as_int64(), 1);
  EXPECT_NE(body.at("detail").as_string().find("token"), std::string::npos);
  // Another token, from the same address, has a bucket of its own.
  EXPECT_EQ(get("/v1/me", kBob).status, 200);
  EXPECT_NE(metrics_.render().find("kycd_throttled_requests_total{cause=\"token_rate\"} 1"),
            std::string::npos);
}

TEST_F(AbuseRoutes, AnAddressOverItsRateGets429ButProbesDoNot) {
  Limits l = unlimited();
  l.address_rate = 0.5;
  l.address_burst = 2;
  start(l);
  EXPECT_EQ(get("/v1/me", kAlice).status, 200);
  EXPECT_EQ(get("/v1/me", kBob).status, 200);
  auto r = get("/v1/me", kAlice);
  ASSERT_EQ(r.status, 429);
  EXPECT_EQ(header(r, "Retry-After"), "2");    // one request every 2 s
  EXPECT_EQ(get("/metrics", "").status, 429);  // every request counts, a public one too
  EXPECT_EQ(get("/healthz", "").status, 200);  // but not the probes
  EXPECT_EQ(get("/readyz", "").status, 503);   // (no policy here: its own answer, not a 429)
  EXPECT_EQ(get("/v1/me", kAlice, "192.0.2.8").status, 200);  // another address
  EXPECT_EQ(get("/v1/me", kAlice, "").status, 200);           // not from the network: not limited
  EXPECT_NE(metrics_.render().find("kycd_throttled_requests_total{cause=\"address_rate\"} 2"),
            std::string::npos);
}

TEST_F(AbuseRoutes, UnknownTokensPauseTheirAddressEvenForARightToken) {
  Limits l = unlimited();
  l.bad_token_limit = 5;
  start(l);
  for (int i = 0; i < 5; ++i) ASSERT_EQ(get("/v1/me", "guess-" + std::to_string(i)).status, 401);
  auto paused = get("/v1/me", "guess-5");
  ASSERT_EQ(paused.status, 429) << paused.body;
  EXPECT_EQ(header(paused, "Retry-After"), "1");
  EXPECT_EQ(json::parse(paused.body).at("type").as_string(),
            "https://kycd.dev/problems/bad-tokens");
  // A right token from the paused address waits too (else the pause would tell right from
  // wrong); other addresses and routes without a token do not.
  EXPECT_EQ(get("/v1/me", kAlice).status, 429);
  EXPECT_EQ(get("/v1/me", kAlice, "192.0.2.99").status, 200);
  EXPECT_EQ(get("/openapi.json", "").status, 200);
  // A request without any token is a 401 but no guess: it does not count.
  for (int i = 0; i < 10; ++i) EXPECT_EQ(get("/v1/me", "", "192.0.2.50").status, 401);
  EXPECT_EQ(get("/v1/me", kAlice, "192.0.2.50").status, 200);
  EXPECT_NE(metrics_.render().find("kycd_throttled_requests_total{cause=\"bad_token_pause\"} 2"),
            std::string::npos);
}

TEST_F(AbuseRoutes, TheDefaultsLetOrdinaryTrafficThrough) {
  start(Limits{});
  EXPECT_EQ(Limits{}.token_rate, 1000);
  EXPECT_EQ(Limits{}.address_burst, 4000);
  for (int i = 0; i < 1500; ++i) ASSERT_EQ(get("/v1/me", kAlice).status, 200) << i;
  for (int i = 0; i < 19; ++i) ASSERT_EQ(get("/v1/me", "wrong-token-000000").status, 401) << i;
  EXPECT_EQ(get("/v1/me", kAlice).status, 200);
}
