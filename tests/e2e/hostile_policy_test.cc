// A policy text built to exhaust the stack (a 20,000-term chain, 80 KB, under the body limit)
// on every way in: `kyc check`, POST /v1/policies/validate, POST /v1/replay, and a hot reload
// of the policy file. Each must answer with a positioned error and the service must live on.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <thread>

#include "http_client.h"
#include "server_process.h"

using namespace kyc::e2e;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

std::string long_chain_policy() {
  std::string sum = "image.blur";
  for (int i = 1; i < 20000; ++i) sum += " + image.blur";
  return "policy \"chain\" {\n  version \"1\"\n  locales en\n}\n"
         "facts {\n  image.blur : number\n}\n"
         "reason R {\n  outcome resubmit\n  when " +
         sum + " > 1\n  message en { title \"t\" detail \"d\" action \"a\" }\n}\n";
}

const char* kPositioned = ":10:8: error: a chain of 20000 terms nests too deeply";

Response send(int port, const std::string& raw) {
  Connection c(port);
  EXPECT_TRUE(c.ok());
  EXPECT_TRUE(c.send(raw));
  return c.read().value_or(Response{});
}

}  // namespace

TEST(HostilePolicy, CheckPrintsAPositionedErrorAndExitsOne) {
  char tmpl[] = "/tmp/kycd-chain-XXXXXX";
  fs::path dir = mkdtemp(tmpl);
  std::ofstream(dir / "chain.policy") << long_chain_policy();
  auto [status, out] = run_kyc("check " + (dir / "chain.policy").string());
  EXPECT_EQ(status, 1) << out.substr(0, 400);
  EXPECT_NE(out.find(std::string("chain.policy") + kPositioned), std::string::npos)
      << out.substr(0, 400);
  fs::remove_all(dir);
}

TEST(HostilePolicy, TheServiceSurvivesItOnEveryEndpointAndOnReload) {
  ServerProcess s;
  ASSERT_GT(s.port(), 0) << s.log();
  std::string text = long_chain_policy();
  ASSERT_GT(text.size(), 80000u);

  auto validated =
      send(s.port(), request("POST", "/v1/policies/validate", text, kAdminToken, "text/plain"));
  EXPECT_EQ(validated.status, 200) << validated.body.substr(0, 300);
  EXPECT_NE(validated.body.find("a chain of 20000 terms"), std::string::npos)
      << validated.body.substr(0, 300);

  json::object replay{{"policy", text}};
  auto replayed =
      send(s.port(), request("POST", "/v1/replay", json::serialize(replay), kAuditToken));
  EXPECT_EQ(replayed.status, 422) << replayed.body.substr(0, 300);
  EXPECT_NE(replayed.body.find("a chain of 20000 terms"), std::string::npos);

  std::ofstream(s.policy_path(), std::ios::trunc) << text;
  auto reloaded = send(s.port(), request("POST", "/v1/admin/reload", "", kAdminToken));
  EXPECT_EQ(reloaded.status, 422) << reloaded.body.substr(0, 300);

  std::this_thread::sleep_for(500ms);  // the file poller sees the change too
  auto health = send(s.port(), request("GET", "/healthz"));
  EXPECT_EQ(health.status, 200) << s.log();
  auto policies = send(s.port(), request("GET", "/v1/policies", "", kAuditToken));
  EXPECT_NE(policies.body.find("kyc-document"), std::string::npos)
      << "the running policy is kept: " << policies.body.substr(0, 300);
}
