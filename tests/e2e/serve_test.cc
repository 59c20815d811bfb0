// End-to-end tests of `kyc serve`: the real binary on an ephemeral port, spoken to over HTTP.
#include <gtest/gtest.h>

#include <iterator>

#include <atomic>
#include <boost/json.hpp>
#include <fstream>
#include <random>
#include <thread>

#include "dsl/policy_loader.h"
#include "http_client.h"
#include "server_process.h"

using namespace kyc::e2e;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

// The expired-passport example without `today`: only admins may set the clock.
std::string facts_body() {
  std::string text;
  kyc::dsl::read_file(KYC_SOURCE_DIR "/policies/examples/expired-passport.json", text);
  json::object facts = json::parse(text).as_object();
  facts.erase("today");
  json::object body{{"facts", facts}, {"account_id", "acct-1"}, {"locale", "en"}};
  return json::serialize(body);
}

json::object body_of(const Response& r) { return json::parse(r.body).as_object(); }

}  // namespace

TEST(Serve, HealthReadinessMetricsAndOpenApi) {
  ServerProcess s;
  ASSERT_GT(s.port(), 0) << s.log();
  EXPECT_EQ(call(s.port(), request("GET", "/healthz")).status, 200);
  EXPECT_EQ(call(s.port(), request("GET", "/readyz")).status, 200);
  call(s.port(), request("POST", "/v1/evaluate", facts_body(), kEvaluateToken));
  auto metrics = call(s.port(), request("GET", "/metrics"));
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("kycd_requests_total{route=\"POST /v1/evaluate\",status=\"200\"} 1"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("kycd_decisions_total{outcome=\"resubmit\"} 1"), std::string::npos);
  EXPECT_NE(metrics.body.find("kycd_reasons_total{code=\"DOC_EXPIRED\"} 1"), std::string::npos);
  EXPECT_NE(metrics.body.find("kycd_request_duration_seconds_bucket{le=\"+Inf\"}"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("kycd_in_flight_requests"), std::string::npos);
  auto openapi = call(s.port(), request("GET", "/openapi.json"));
  ASSERT_EQ(openapi.status, 200);
  EXPECT_EQ(body_of(openapi).at("openapi").as_string(), "3.1.0");
}

// Tesseract's OpenMP threads made OCR 5-6x slower on a busy machine; the limit must be in the
// environment before libgomp loads, so `kyc` runs itself again with it (cli/main.cc).
TEST(Serve, TheServiceRunsWithOneOpenMpThread) {
  unsetenv("OMP_THREAD_LIMIT");
  ServerProcess s;
  ASSERT_GT(s.port(), 0);
  std::ifstream in("/proc/" + std::to_string(s.pid()) + "/environ", std::ios::binary);
  std::string environ{std::istreambuf_iterator<char>(in), {}};
  EXPECT_NE(environ.find(std::string("OMP_THREAD_LIMIT=1\0", 19)), std::string::npos);
}

TEST(Serve, EvaluateReturnsTheDecisionWithASortableId) {
  ServerProcess s;
  auto r = call(s.port(), request("POST", "/v1/evaluate", facts_body(), kEvaluateToken));
  ASSERT_EQ(r.status, 200) << r.body;
  auto d = body_of(r);
  EXPECT_EQ(d.at("outcome").as_string(), "resubmit");
  EXPECT_EQ(d.at("reasons").as_array().at(0).as_object().at("code").as_string(), "DOC_EXPIRED");
  EXPECT_EQ(d.at("account_id").as_string(), "acct-1");
  std::string first(d.at("decision_id").as_string());
  EXPECT_EQ(first.size(), 26u);
  auto second =
      body_of(call(s.port(), request("POST", "/v1/evaluate", facts_body(), kEvaluateToken)));
  EXPECT_LT(first, std::string(second.at("decision_id").as_string()));
  // The service clock set `today`.
  EXPECT_EQ(d.at("today").as_string().size(), 10u);
  // The access log is buffered per thread and flushed at least every second.
  auto logged = [&] {
    return s.log().find("\"decision_id\":\"" + first + "\"") != std::string::npos;
  };
  for (int i = 0; i < 40 && !logged(); ++i) std::this_thread::sleep_for(100ms);
  EXPECT_TRUE(logged()) << s.log();
  EXPECT_EQ(s.log().find("X1234567"), std::string::npos) << "document numbers must never be logged";
}

TEST(Serve, TodayIsTheServiceClockUnlessAnAdminSetsIt) {
  ServerProcess s;
  json::object b = json::parse(facts_body()).as_object();
  b["facts"].as_object()["today"] = "2020-01-01";
  std::string body = json::serialize(b);
  // The evaluate role's `today` is set aside, listed in ignored_facts, and the clock used.
  auto e = call(s.port(), request("POST", "/v1/evaluate", body, kEvaluateToken));
  ASSERT_EQ(e.status, 200) << e.body;
  EXPECT_NE(body_of(e).at("today").as_string(), "2020-01-01");
  EXPECT_NE(json::serialize(body_of(e).at("ignored_facts")).find(R"("today")"), std::string::npos);
  EXPECT_EQ(body_of(e).at("outcome").as_string(), "resubmit");  // expired by the real clock
  auto r = call(s.port(), request("POST", "/v1/evaluate", body, kAdminToken));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body_of(r).at("today").as_string(), "2020-01-01");
  EXPECT_EQ(body_of(r).at("outcome").as_string(), "approve");  // not yet expired in 2020
}

TEST(Serve, AuthenticationAndRoles) {
  ServerProcess s;
  auto none = call(s.port(), request("POST", "/v1/evaluate", facts_body()));
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.headers["content-type"], "application/problem+json");
  EXPECT_EQ(
      call(s.port(), request("POST", "/v1/evaluate", facts_body(), "not-a-known-token-000")).status,
      401);
  auto wrong_role = call(s.port(), request("POST", "/v1/evaluate", facts_body(), kAuditToken));
  EXPECT_EQ(wrong_role.status, 403);
  EXPECT_EQ(wrong_role.headers["content-type"], "application/problem+json");
  EXPECT_EQ(call(s.port(), request("POST", "/v1/admin/reload", "", kEvaluateToken)).status, 403);
  EXPECT_EQ(call(s.port(), request("GET", "/v1/policies", "", kAuditToken)).status, 200);
  EXPECT_EQ(call(s.port(), request("GET", "/v1/policies?token=" + kAuditToken)).status, 400);
}

TEST(Serve, ClientErrors) {
  ServerProcess s({"--max-body-bytes", "65536", "--max-header-bytes", "4096"});
  auto text =
      call(s.port(), request("POST", "/v1/evaluate", facts_body(), kEvaluateToken, "text/plain"));
  EXPECT_EQ(text.status, 415);
  auto malformed =
      call(s.port(), request("POST", "/v1/evaluate", "{\"facts\": {\"a\": 1,}}", kEvaluateToken));
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(body_of(malformed).at("offset").as_int64(), 18);
  json::object b = json::parse(facts_body()).as_object();
  b["facts"].as_object()["file"].as_object()["bytes"] = "big";
  auto wrong = call(s.port(), request("POST", "/v1/evaluate", json::serialize(b), kEvaluateToken));
  EXPECT_EQ(wrong.status, 422);
  EXPECT_NE(wrong.body.find("file.bytes"), std::string::npos) << wrong.body;
  EXPECT_EQ(call(s.port(), request("GET", "/v1/nothing")).status, 404);
  EXPECT_EQ(call(s.port(), request("DELETE", "/v1/evaluate", "", kEvaluateToken)).status, 405);
  auto big_header = call(s.port(), request("GET", "/healthz", "", "", "",
                                           "X-Big: " + std::string(8000, 'a') + "\r\n"));
  EXPECT_EQ(big_header.status, 431);
  std::string deep(10000, '[');  // under the body limit, over the JSON depth limit
  EXPECT_EQ(
      call(s.port(), request("POST", "/v1/evaluate", "{\"facts\":" + deep, kEvaluateToken)).status,
      400);
}

TEST(Serve, OverTheBodyLimitIsRefusedBeforeTheBodyIsRead) {
  ServerProcess s({"--max-body-bytes", "65536"});
  Connection c(s.port());
  // Announce 10 MB and send none of it: the answer must come anyway.
  ASSERT_TRUE(c.send("POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                     kEvaluateToken +
                     "\r\nContent-Type: application/json\r\nContent-Length: 10485760\r\n\r\n"));
  auto r = c.read(2000ms);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 413);
}

TEST(Serve, OneMegabyteOfRandomBytesIsABadRequestNotACrash) {
  ServerProcess s({"--max-body-bytes", "2000000"});
  std::mt19937 rng(42);
  std::string noise(1 << 20, '\0');
  for (auto& ch : noise) ch = static_cast<char>(rng());
  auto r = call(s.port(), request("POST", "/v1/evaluate", noise, kEvaluateToken));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(call(s.port(), request("GET", "/healthz")).status, 200);
}

TEST(Serve, KeepAliveAndPipelining) {
  ServerProcess s;
  Connection c(s.port());
  ASSERT_TRUE(c.send(request("GET", "/healthz")));
  ASSERT_EQ(c.read()->status, 200);
  ASSERT_TRUE(c.send(request("POST", "/v1/evaluate", facts_body(), kEvaluateToken)));
  ASSERT_EQ(c.read()->status, 200);
  // Three requests in one write: three answers, in order.
  ASSERT_TRUE(
      c.send(request("GET", "/healthz") + request("GET", "/nope") + request("GET", "/readyz")));
  EXPECT_EQ(c.read()->status, 200);
  EXPECT_EQ(c.read()->status, 404);
  auto third = c.read();
  ASSERT_TRUE(third.has_value());
  EXPECT_EQ(third->status, 200);
  EXPECT_NE(third->body.find("ready"), std::string::npos);
}

TEST(Serve, SlowClientsAreCutOff) {
  ServerProcess s({"--read-timeout", "500", "--idle-timeout", "800"});
  Connection headers(s.port());
  ASSERT_TRUE(headers.send("POST /v1/evaluate HTTP/1.1\r\nHost: x\r\n"));  // and then nothing
  Connection body(s.port());
  ASSERT_TRUE(
      body.send("POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                "Content-Length: 100\r\n\r\n{\"facts\":"));
  EXPECT_TRUE(headers.closed_by_server(3000ms));
  EXPECT_TRUE(body.closed_by_server(3000ms));
  EXPECT_EQ(call(s.port(), request("GET", "/healthz")).status, 200);
}

TEST(Serve, TooManyConnectionsAreAnswered503) {
  ServerProcess s({"--max-connections", "2"});
  Connection a(s.port()), b(s.port());
  ASSERT_TRUE(a.send(request("GET", "/healthz")));
  ASSERT_TRUE(b.send(request("GET", "/healthz")));
  ASSERT_EQ(a.read()->status, 200);
  ASSERT_EQ(b.read()->status, 200);
  Connection c(s.port());
  auto r = c.read(2000ms);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 503);
}

TEST(Serve, ValidateReportsDiagnosticsWithPositions) {
  ServerProcess s;
  auto r = call(s.port(),
                request("POST", "/v1/policies/validate",
                        "policy \"x\" {\n  version \"1\"\n  locales en\n}\nfacts {\n  a : int\n}\n"
                        "reason R {\n  outcome review\n  when a > b\n}\n",
                        kAdminToken, "text/plain"));
  ASSERT_EQ(r.status, 200);
  auto v = body_of(r);
  EXPECT_FALSE(v.at("valid").as_bool());
  auto first = v.at("diagnostics").as_array().at(0).as_object();
  EXPECT_EQ(first.at("line").as_int64(), 8);
  EXPECT_EQ(first.at("column").as_int64(), 8);
  auto d = v.at("diagnostics").as_array();
  bool found = false;
  for (const auto& x : d)
    found |=
        x.as_object().at("line").as_int64() == 10 && x.as_object().at("column").as_int64() == 12;
  EXPECT_TRUE(found) << r.body;
}

TEST(Serve, ReloadKeepsTheRunningPolicyWhenTheNewOneIsBroken) {
  ServerProcess s;
  auto before = body_of(call(s.port(), request("GET", "/v1/policies", "", kAdminToken)));
  std::string sha(before.at("policies").as_array().at(0).as_object().at("sha256").as_string());
  { std::ofstream(s.policy_path(), std::ios::app) << "\nreason BROKEN {\n"; }
  auto failed = call(s.port(), request("POST", "/v1/admin/reload", "", kAdminToken));
  EXPECT_EQ(failed.status, 422);
  auto after = body_of(call(s.port(), request("GET", "/v1/policies", "", kAdminToken)));
  EXPECT_EQ(after.at("policies").as_array().at(0).as_object().at("sha256").as_string(), sha);
  EXPECT_FALSE(after.at("last_reload_error").is_null());
  EXPECT_EQ(call(s.port(), request("POST", "/v1/evaluate", facts_body(), kEvaluateToken)).status,
            200);
  EXPECT_NE(
      call(s.port(), request("GET", "/metrics")).body.find("kycd_policy_reload_failures_total 1"),
      std::string::npos);
}

TEST(Serve, ChangedPolicyFileIsPickedUpWithinTwoSecondsAndOnSighup) {
  ServerProcess s;
  auto sha_now = [&] {
    auto p = body_of(call(s.port(), request("GET", "/v1/policies", "", kAdminToken)));
    return std::string(p.at("policies").as_array().at(0).as_object().at("sha256").as_string());
  };
  std::string original = sha_now();
  {
    // A changed text needs a new version (change control).
    std::string text;
    kyc::dsl::read_file(s.policy_path().string(), text);
    std::ofstream(s.policy_path())
        << with_version(text, "watched") << "\n# a comment changes the sha256\n";
  }
  auto start = std::chrono::steady_clock::now();
  while (sha_now() == original && std::chrono::steady_clock::now() - start < 3s)
    std::this_thread::sleep_for(50ms);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  std::string watched = sha_now();
  EXPECT_NE(watched, original);
  // SIGHUP reloads too (the file is unchanged, the reload time moves).
  auto t0 =
      body_of(call(s.port(), request("GET", "/v1/policies", "", kAdminToken))).at("last_reload_at");
  s.signal(SIGHUP);
  std::this_thread::sleep_for(300ms);
  auto t1 =
      body_of(call(s.port(), request("GET", "/v1/policies", "", kAdminToken))).at("last_reload_at");
  EXPECT_NE(t0, t1);
}

TEST(Serve, ReloadUnderConcurrentLoadFailsNoRequest) {
  ServerProcess s({"--token-rate", "0", "--address-rate", "0"});  // a load test: no 429s
  std::atomic<bool> stop{false};
  std::atomic<int> ok{0}, failed{0};
  std::vector<std::thread> clients;
  std::string body = facts_body();
  for (int t = 0; t < 4; ++t)
    clients.emplace_back([&] {
      Connection c(s.port());
      while (!stop) {
        if (!c.send(request("POST", "/v1/evaluate", body, kEvaluateToken))) {
          ++failed;
          return;
        }
        auto r = c.read();
        (r && r->status == 200 ? ok : failed)++;
      }
    });
  std::string text;
  kyc::dsl::read_file(s.policy_path().string(), text);
  for (int i = 0; i < 20; ++i) {
    std::ofstream(s.policy_path())
        << with_version(text, "r" + std::to_string(i)) << "\n# revision " << i << "\n";
    call(s.port(), request("POST", "/v1/admin/reload", "", kAdminToken));
    std::this_thread::sleep_for(20ms);
  }
  stop = true;
  for (auto& c : clients) c.join();
  EXPECT_GT(ok.load(), 100);
  EXPECT_EQ(failed.load(), 0);
}

TEST(Serve, SigtermDrainsInFlightRequestsAndExitsZero) {
  ServerProcess s({"--shutdown-deadline", "3000"});
  Connection idle(s.port());
  ASSERT_TRUE(idle.send(request("GET", "/healthz")));
  ASSERT_EQ(idle.read()->status, 200);
  // A request in flight: headers and half the body sent before the signal.
  std::string body = facts_body();
  std::string raw = request("POST", "/v1/evaluate", body, kEvaluateToken);
  Connection busy(s.port());
  ASSERT_TRUE(busy.send(raw.substr(0, raw.size() - 20)));
  std::this_thread::sleep_for(100ms);
  s.signal(SIGTERM);
  std::this_thread::sleep_for(100ms);
  ASSERT_TRUE(busy.send(raw.substr(raw.size() - 20)));
  auto r = busy.read();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->headers["connection"], "close");
  EXPECT_TRUE(idle.closed_by_server(2000ms));
  EXPECT_EQ(s.wait_exit(5000ms), 0) << s.log();
  EXPECT_FALSE(Connection(s.port()).ok());
}

TEST(Serve, ConfigFileSetsTheSameKeysAsFlags) {
  char tmpl[] = "/tmp/kycd-config-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  std::ofstream(dir + "/kycd.ini")
      << "# limits for this test\n[serve]\nmax-body-bytes=2000\nmax-json-elements=50\n";
  ServerProcess s({"--config", dir + "/kycd.ini"});
  ASSERT_GT(s.port(), 0) << s.log();
  // 2000 bytes of body allowed, not more.
  EXPECT_EQ(call(s.port(), request("POST", "/v1/evaluate", facts_body(), kEvaluateToken)).status,
            200);
  std::string big = "{\"facts\": {}, \"pad\": \"" + std::string(3000, 'x') + "\"}";
  EXPECT_EQ(call(s.port(), request("POST", "/v1/evaluate", big, kEvaluateToken)).status, 413);
  // More than 50 JSON values.
  std::string many = "{\"facts\": {\"tags\": [";
  for (int i = 0; i < 100; ++i) many += (i ? ",1" : "1");
  many += "]}}";
  auto r = call(s.port(), request("POST", "/v1/evaluate", many, kEvaluateToken));
  EXPECT_EQ(r.status, 413);
  EXPECT_NE(r.body.find("too-many-elements"), std::string::npos) << r.body;
  fs::remove_all(dir);
}

TEST(Serve, NoAuthServesEveryoneAndWarnsAtStart) {
  ServerProcess s({"--no-auth"});
  ASSERT_GT(s.port(), 0) << s.log();
  EXPECT_EQ(call(s.port(), request("POST", "/v1/evaluate", facts_body())).status, 200);
  EXPECT_NE(s.log().find("auth_disabled"), std::string::npos) << s.log();
}

TEST(Serve, AClientThatExpectsContinueIsToldToSendItsBody) {
  // curl sends `Expect: 100-continue` with bodies over 1 MB and holds the body back for a
  // second unless told to go on: every large upload waited that second.
  ServerProcess s;
  ASSERT_GT(s.port(), 0) << s.log();
  std::string whole = request("POST", "/v1/evaluate", facts_body(), kEvaluateToken,
                              "application/json", "Expect: 100-continue\r\n");
  size_t head_end = whole.find("\r\n\r\n") + 4;
  Connection c(s.port());
  ASSERT_TRUE(c.send(whole.substr(0, head_end)));
  auto go_on = c.read(std::chrono::milliseconds(500));
  ASSERT_TRUE(go_on.has_value()) << "no interim answer within 500 ms";
  EXPECT_EQ(go_on->status, 100);
  ASSERT_TRUE(c.send(whole.substr(head_end)));
  auto answer = c.read();
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->status, 200) << answer->body;
  // A body over the route's limit is refused before it is sent.
  Connection big(s.port());
  big.send("POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + kEvaluateToken +
           "\r\nContent-Type: application/json\r\nContent-Length: 999999999\r\n"
           "Expect: 100-continue\r\n\r\n");
  auto refused = big.read(std::chrono::milliseconds(2000));
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->status, 413);
}

// 100 decisions a batch, pipelined on one connection: a log to export.
void decide_in_batches(int port, int batches) {
  std::string one = request("POST", "/v1/evaluate", facts_body(), kEvaluateToken);
  Connection load(port);
  for (int batch = 0; batch < batches; ++batch) {
    std::string many;
    for (int i = 0; i < 100; ++i) many += one;
    ASSERT_TRUE(load.send(many));
    for (int i = 0; i < 100; ++i) ASSERT_EQ(load.read().value_or(Response{}).status, 200);
  }
}

TEST(Serve, ALargeAnswerReachesAClientSlowerThanTheWriteTimeoutAllows) {
  // The write timeout was one deadline on the whole answer: a CSV export of 217 MB reached a
  // client reading at 2 MB/s as its first 34-47 MB, and the access log said 200. Now a client
  // must only take each MiB within it.
  ServerProcess s({"--write-timeout", "2000", "--token-rate", "0", "--address-rate", "0"});
  ASSERT_GT(s.port(), 0) << s.log();
  decide_in_batches(s.port(), 30);
  // A small window, read 20 ms apart: about 1.5 MB/s here, a MiB in 0.7 s and the export of
  // about 8 MB in 5 s.
  Connection slow(s.port(), 32 * 1024);
  slow.send(request("GET", "/v1/verifications?format=csv", "", kAuditToken));
  auto started = std::chrono::steady_clock::now();
  auto answer = slow.read_slowly(64 * 1024, std::chrono::milliseconds(20), 60s);
  auto took = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(answer.has_value()) << "cut off";
  EXPECT_EQ(answer->status, 200);
  EXPECT_GT(answer->body.size(), 6u << 20);
  EXPECT_GT(took, 4000ms) << answer->body.size() << " bytes";  // twice the write timeout
  EXPECT_GT(std::count(answer->body.begin(), answer->body.end(), '\n'), 3000);
}

TEST(Serve, SigtermDuringAnExportToAClientThatStoppedReadingStillExits) {
  // An export is made while it is sent: its maker waits while the client does not read. Told
  // nothing at the stop, it waited on after the connections' threads had stopped, and the
  // process never exited.
  ServerProcess s({"--shutdown-deadline", "1000", "--write-timeout", "30000", "--token-rate", "0",
                   "--address-rate", "0"});
  ASSERT_GT(s.port(), 0) << s.log();
  decide_in_batches(s.port(), 100);  // about 27 MB: more than the socket and the queue hold
  Connection stalled(s.port(), 16 * 1024);
  ASSERT_TRUE(stalled.send(request("GET", "/v1/verifications?format=csv", "", kAuditToken)));
  std::this_thread::sleep_for(500ms);  // the export fills the socket, then its queue, and waits
  s.signal(SIGTERM);
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(s.wait_exit(10000ms), 0) << s.log();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5000ms);
}

TEST(Serve, HeadIsGetWithoutTheBody) {
  // A load balancer's HEAD probe got 405.
  ServerProcess s;
  ASSERT_GT(s.port(), 0) << s.log();
  auto get = call(s.port(), request("GET", "/healthz"));
  Connection c(s.port());
  c.send(request("HEAD", "/healthz") + request("GET", "/healthz"));
  auto head = c.read_head();
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->headers["content-length"], std::to_string(get.body.size()));
  // No body came: the next answer on the connection is the GET's, whole.
  auto next = c.read();
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->body, get.body);
}

TEST(Serve, LimitsThatCannotWorkAreRefusedAtStart) {
  // --audit-batch-max 0 spun the writer at 100% of a core, answered no decision while readyz
  // said ready, and never exited on SIGTERM; --reload-poll 0 spun a core; a header limit of
  // 2^32 wrapped to a few bytes, and every request got 431.
  for (std::string flag :
       {"--audit-batch-max 0", "--reload-poll 0", "--max-header-bytes 4294967296",
        "--max-json-depth 0", "--read-timeout 0", "--max-body-bytes 18446744073709551615"}) {
    auto [status, out] = run_kyc("serve " + flag +
                                 " --policy-dir " KYC_SOURCE_DIR
                                 "/policies --data-dir /tmp/kycd-no-such-dir-limits");
    EXPECT_NE(status, 0) << flag;
    std::string name = flag.substr(0, flag.find(' '));
    EXPECT_NE(out.find(name), std::string::npos) << flag << ": " << out;
    EXPECT_NE(out.find("not in range"), std::string::npos) << flag << ": " << out;
  }
  std::error_code ec;
  EXPECT_FALSE(fs::exists("/tmp/kycd-no-such-dir-limits", ec));  // refused before anything
}

TEST(Serve, ListenPortsAreParsedStrictly) {
  // "12abc" used to listen on 12 and "70000" on whatever stoul made of it.
  for (const char* port : {"70000", "12abc", "-1", ""}) {
    auto [status, out] = run_kyc(std::string("serve --listen 127.0.0.1:") + port +
                                 " --policy-dir " KYC_SOURCE_DIR "/policies --data-dir " +
                                 "/tmp/kycd-no-such-dir-listen");
    EXPECT_NE(status, 0) << port;
    EXPECT_NE(out.find(std::string("--listen: '") + port + "' is not a port"), std::string::npos)
        << out;
  }
  std::error_code ec;
  fs::remove_all("/tmp/kycd-no-such-dir-listen", ec);
}

TEST(Serve, AMisspeltOptionInTheConfigFileOrTheEnvironmentStopsTheStart) {
  // `max-conections = 5`, a section [serv] and KYCD_MAX_CONECTIONS were ignored, and the
  // service came up on its defaults (operator probe, stop 48).
  char tmpl[] = "/tmp/kycd-typo-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  std::ofstream(dir + "/key.ini") << "[serve]\nmax-conections = 5\n";
  std::ofstream(dir + "/section.ini") << "[serv]\nlisten = \"127.0.0.1:1\"\n";
  for (const char* file : {"/key.ini", "/section.ini"}) {
    auto [rc, out] = run_kyc("serve --config " + dir + file + " --data-dir " + dir + "/var");
    EXPECT_NE(rc, 0) << file << ": " << out;
  }
  setenv("KYCD_MAX_CONECTIONS", "5", 1);
  auto [rc, out] = run_kyc("serve --data-dir " + dir + "/var");
  unsetenv("KYCD_MAX_CONECTIONS");
  EXPECT_NE(rc, 0);
  EXPECT_NE(out.find("KYCD_MAX_CONECTIONS names no option"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(dir + "/var")) << "it started";
  std::filesystem::remove_all(dir);
}
