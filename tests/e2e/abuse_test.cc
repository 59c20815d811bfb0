// End-to-end abuse limits of `kyc serve`: a token over its rate and an address sending unknown
// tokens get 429 with Retry-After; one address cannot hold more than its connection cap; with
// --ops-listen, 2,000 idle sockets on the main port leave /healthz on the ops port answering
// within 100 ms; decision ids from one connection share no counter.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/json.hpp>
#include <fstream>
#include <memory>
#include <vector>

#include "dsl/policy_loader.h"
#include "http_client.h"
#include "server_process.h"

using namespace kyc::e2e;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

std::string facts_body() {
  std::string text;
  kyc::dsl::read_file(KYC_SOURCE_DIR "/policies/examples/expired-passport.json", text);
  json::object facts = json::parse(text).as_object();
  facts.erase("today");
  return json::serialize(json::object{{"facts", facts}, {"account_id", "acct-1"}});
}

// A loopback port nobody listens on right now (for --ops-listen, which has no port file).
int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

int metric(const std::string& text, const std::string& name) {
  size_t at = text.find(name + " ");
  return at == std::string::npos ? -1 : std::stoi(text.substr(at + name.size() + 1));
}

}  // namespace

TEST(Abuse, ATokenOverItsRateGets429WithRetryAfter) {
  ServerProcess s({"--token-rate", "5", "--token-burst", "5"});
  ASSERT_GT(s.port(), 0) << s.log();
  Connection c(s.port());
  std::string body = facts_body();
  std::vector<int> statuses;
  std::optional<Response> refused;
  for (int i = 0; i < 15; ++i) {
    ASSERT_TRUE(c.send(request("POST", "/v1/evaluate", body, kEvaluateToken)));
    auto r = c.read();
    ASSERT_TRUE(r);
    statuses.push_back(r->status);
    if (r->status == 429 && !refused) refused = r;
  }
  for (int i = 0; i < 5; ++i) EXPECT_EQ(statuses[static_cast<size_t>(i)], 200) << i;  // the burst
  ASSERT_TRUE(refused) << "no 429 in 15 requests at 5/s";
  EXPECT_GE(std::count(statuses.begin(), statuses.end(), 429), 5);
  EXPECT_EQ(refused->headers["content-type"], "application/problem+json");
  ASSERT_TRUE(refused->headers.count("retry-after"));
  EXPECT_GE(std::stoi(refused->headers["retry-after"]), 1);
  EXPECT_NE(refused->body.find("rate-limited"), std::string::npos) << refused->body;
  // The connection stays open; another token is not throttled; after the wait the token is.
  EXPECT_EQ(call(s.port(), request("POST", "/v1/evaluate", body, kAdminToken)).status, 200);
  std::this_thread::sleep_for(std::chrono::seconds(std::stoi(refused->headers["retry-after"])) +
                              100ms);
  ASSERT_TRUE(c.send(request("POST", "/v1/evaluate", body, kEvaluateToken)));
  EXPECT_EQ(c.read()->status, 200);
  auto metrics = call(s.port(), request("GET", "/metrics")).body;
  EXPECT_GE(metric(metrics, "kycd_throttled_requests_total{cause=\"token_rate\"}"), 5) << metrics;
}

TEST(Abuse, AnAddressSendingUnknownTokensIsPaused) {
  ServerProcess s;  // the defaults: 20 unknown tokens within a minute
  ASSERT_GT(s.port(), 0) << s.log();
  Connection c(s.port());
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(c.send(request("GET", "/v1/me", "", "wrong-token-" + std::to_string(i))));
    ASSERT_EQ(c.read()->status, 401) << i;
  }
  ASSERT_TRUE(c.send(request("GET", "/v1/me", "", "wrong-token-20")));
  auto paused = c.read();
  ASSERT_TRUE(paused);
  EXPECT_EQ(paused->status, 429);
  EXPECT_EQ(paused->headers["retry-after"], "1");
  EXPECT_NE(paused->body.find("bad-tokens"), std::string::npos) << paused->body;
  // The right token waits too; probes do not.
  EXPECT_EQ(call(s.port(), request("GET", "/v1/me", "", kAuditToken)).status, 429);
  EXPECT_EQ(call(s.port(), request("GET", "/healthz")).status, 200);
  std::this_thread::sleep_for(1100ms);
  EXPECT_EQ(call(s.port(), request("GET", "/v1/me", "", kAuditToken)).status, 200);
  auto metrics = call(s.port(), request("GET", "/metrics")).body;
  EXPECT_EQ(metric(metrics, "kycd_throttled_requests_total{cause=\"bad_token_pause\"}"), 2)
      << metrics;
}

TEST(Abuse, OneAddressCannotHoldMoreThanItsConnectionCap) {
  ServerProcess s({"--max-connections-per-address", "3"});
  ASSERT_GT(s.port(), 0) << s.log();
  std::vector<std::unique_ptr<Connection>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<Connection>(s.port()));
    ASSERT_TRUE(held.back()->send(request("GET", "/healthz")));
    ASSERT_EQ(held.back()->read()->status, 200);
  }
  Connection over(s.port());
  auto r = over.read(2000ms);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->headers["retry-after"], "1");
  EXPECT_TRUE(over.closed_by_server(2000ms));
  held.pop_back();  // one closes: a new one is let in
  std::this_thread::sleep_for(200ms);
  Connection again(s.port());
  ASSERT_TRUE(again.send(request("GET", "/metrics")));
  auto metrics = again.read();
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_EQ(metric(metrics->body, "kycd_refused_connections_total{cause=\"per_address\"}"), 1);
}

// The flood: 2,000 idle sockets without a token made /healthz answer 503 for 10 s.
TEST(Abuse, TheOpsListenerAnswersWithin100msUnderTwoThousandIdleSockets) {
  rlimit files{};
  getrlimit(RLIMIT_NOFILE, &files);
  files.rlim_cur = files.rlim_max;
  setrlimit(RLIMIT_NOFILE, &files);
  ASSERT_GE(files.rlim_cur, 2100u) << "this test needs 2,100 file descriptors";
  int ops = free_port();
  ServerProcess s({"--ops-listen", "127.0.0.1:" + std::to_string(ops)});
  ASSERT_GT(s.port(), 0) << s.log();
  // The service raised its own limit to the hard one.
  std::ifstream limits("/proc/" + std::to_string(s.pid()) + "/limits");
  std::string text((std::istreambuf_iterator<char>(limits)), {});
  size_t line = text.find("Max open files");
  ASSERT_NE(line, std::string::npos);
  std::istringstream words(text.substr(line + 14));
  std::string soft, hard;
  words >> soft >> hard;
  EXPECT_EQ(soft, hard);

  std::vector<std::unique_ptr<Connection>> flood;
  for (int i = 0; i < 2000; ++i) {
    flood.push_back(std::make_unique<Connection>(s.port()));
    ASSERT_TRUE(flood.back()->ok()) << i;
  }
  std::vector<double> ms;
  for (int i = 0; i < 5; ++i) {
    auto start = std::chrono::steady_clock::now();
    Connection probe(ops);
    ASSERT_TRUE(probe.send(request("GET", "/healthz")));
    auto r = probe.read(2000ms);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                     .count());
    ASSERT_TRUE(r) << "no answer from the ops listener";
    EXPECT_EQ(r->status, 200);
  }
  std::vector<double> sorted = ms;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_LT(sorted[2], 100.0) << "median of " << ms[0] << " " << ms[1] << " " << ms[2] << " "
                              << ms[3] << " " << ms[4] << " ms";
  // The main listener let in its 256 from this address and refused the rest.
  Connection one_more(s.port());
  auto refused = one_more.read(3000ms);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 503);
  Connection scrape(ops);
  ASSERT_TRUE(scrape.send(request("GET", "/metrics")));
  auto metrics = scrape.read();
  ASSERT_TRUE(metrics);
  EXPECT_GE(metric(metrics->body, "kycd_refused_connections_total{cause=\"per_address\"}"), 1700)
      << metrics->body.substr(metrics->body.find("kycd_refused"));
  EXPECT_EQ(call(ops, request("GET", "/readyz")).status, 200);
  EXPECT_EQ(call(ops, request("GET", "/v1/me", "", kAdminToken)).status, 404);  // probes only
}

TEST(Abuse, DecisionIdsFromOneConnectionShareNoCounter) {
  ServerProcess s;
  ASSERT_GT(s.port(), 0) << s.log();
  Connection c(s.port());
  std::string body = facts_body(), previous;
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(c.send(request("POST", "/v1/evaluate", body, kEvaluateToken)));
    auto r = c.read();
    ASSERT_TRUE(r && r->status == 200);
    std::string id(json::parse(r->body).at("decision_id").as_string());
    if (!previous.empty()) {
      EXPECT_LT(previous, id);  // still sorted by time
      int differ = 0;           // of the last 10 characters (50 random bits)
      for (size_t k = 16; k < 26; ++k) differ += previous[k] != id[k];
      EXPECT_GT(differ, 1) << previous << " then " << id;
    }
    previous = id;
  }
}
