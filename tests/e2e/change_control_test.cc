// Change control (issue 18, item 8; issue 19, item 5), end to end: a changed text with an
// unchanged version is refused; under --require-tests a policy whose tests fail is not
// activated; every activation is a chained audit record that `kyc policy history` lists with
// its trigger, the admin token's name and a console deploy's note, `kyc policy diff` shows, and
// `kyc audit verify` and `kyc replay` accept.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <thread>

#include "dsl/policy_loader.h"
#include "http_client.h"
#include "server_process.h"

using namespace kyc::e2e;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

std::string read(const fs::path& path) {
  std::string text;
  kyc::dsl::read_file(path.string(), text);
  return text;
}

// Writes the policy aside and renames it over the old one, as an editor saves it.
void save(const fs::path& path, const std::string& text) {
  std::ofstream(path.string() + ".new") << text;
  fs::rename(path.string() + ".new", path);
}

Response reload(int port) {
  return call(port, request("POST", "/v1/admin/reload", "", kAdminToken));
}

}  // namespace

TEST(ChangeControl, ActivationsAreCheckedRecordedAndListed) {
  // --require-tests: the shipped tests go beside the policy. The file watcher is slowed so
  // that each reload below is the one the test asks for.
  ServerProcess s({"--require-tests", "--reload-poll", "60000"}, [](const fs::path& var) {
    fs::copy_file(KYC_SOURCE_DIR "/policies/kyc.test", var.parent_path() / "policies" / "kyc.test");
  });
  const std::string original = read(s.policy_path());

  // 1. A changed text under the same version is refused, and says what to do.
  save(s.policy_path(), original + "\n# an edit\n");
  auto refused = reload(s.port());
  ASSERT_EQ(refused.status, 422) << s.log();
  EXPECT_NE(refused.body.find("the text changed but the version is still"), std::string::npos)
      << refused.body;

  // 2. With a new version it is activated, by the admin token's name.
  save(s.policy_path(), with_version(original, "v2") + "\n# an edit\n");
  EXPECT_EQ(reload(s.port()).status, 200);

  // 3. A change that breaks a case of kyc.test is not activated.
  std::string broken = with_version(original, "v3");
  broken.replace(broken.find("let MAX_BYTES = 5 MiB"), 21, "let MAX_BYTES = 1 MiB");
  save(s.policy_path(), broken);
  auto failing = reload(s.port());
  EXPECT_EQ(failing.status, 422);
  EXPECT_NE(failing.body.find("cases fail; the running policy is kept"), std::string::npos)
      << failing.body;

  // 4. SIGHUP activates a valid change.
  save(s.policy_path(), with_version(original, "v4"));
  s.signal(SIGHUP);
  std::this_thread::sleep_for(500ms);
  auto running = json::parse(call(s.port(), request("GET", "/v1/policies", "", kAuditToken)).body);
  EXPECT_EQ(running.at("policies").as_array().at(0).at("version").as_string(), "v4");

  // A restart on the same policy is no new activation.
  s.signal(SIGTERM);
  ASSERT_EQ(s.wait_exit(10s), 0);
  s.start();
  s.signal(SIGTERM);
  ASSERT_EQ(s.wait_exit(10s), 0);

  auto [rc, out] = run_kyc("policy history --format json --data-dir " + s.data_dir().string());
  ASSERT_EQ(rc, 0) << out;
  auto history = json::parse(out).as_array();
  ASSERT_EQ(history.size(), 3u) << out;
  EXPECT_EQ(history[0].at("trigger").as_string(), "start");
  EXPECT_EQ(history[0].at("previous_sha256").as_string(), "");
  EXPECT_EQ(history[1].at("trigger").as_string(), "admin API");
  EXPECT_EQ(history[1].at("by").as_string(), "ops-admin");
  EXPECT_EQ(history[1].at("version").as_string(), "v2");
  EXPECT_EQ(history[1].at("previous_sha256"), history[0].at("sha256"));
  EXPECT_EQ(history[2].at("trigger").as_string(), "SIGHUP");
  EXPECT_EQ(history[2].at("version").as_string(), "v4");
  EXPECT_EQ(history[2].at("previous_sha256"), history[1].at("sha256"));

  auto [diff_rc, diff] = run_kyc("policy diff --data-dir " + s.data_dir().string() + " v2 v4");
  EXPECT_EQ(diff_rc, 0) << diff;
  EXPECT_NE(diff.find("-  version \"v2\"\n+  version \"v4\""), std::string::npos) << diff;
  EXPECT_NE(diff.find("-# an edit"), std::string::npos) << diff;

  auto [verify_rc, verify] = run_kyc("audit verify --data-dir " + s.data_dir().string());
  EXPECT_EQ(verify_rc, 0) << verify;
  auto [replay_rc, replay] = run_kyc("replay --data-dir " + s.data_dir().string());
  EXPECT_EQ(replay_rc, 0) << replay;
}

// Issue 19: a deploy from the console's editor, against the real service with its file watcher
// at its usual pace. The activation recorded is the deploy's own (trigger "console", the admin
// token's name, the note), not the watcher's, and `kyc policy history` shows the note.
TEST(ChangeControl, AConsoleDeployIsRecordedWithItsNote) {
  ServerProcess s({}, [](const fs::path& var) {
    fs::copy_file(KYC_SOURCE_DIR "/policies/kyc.test", var.parent_path() / "policies" / "kyc.test");
  });
  const std::string next = with_version(read(s.policy_path()), "console-1");
  // An ESC sequence in the note would clear the line it is printed on: the text list shows it.
  json::object body{{"policy", next}, {"note", "Reviewed with compliance\nticket 42\x1b[2K"}};
  auto deployed =
      call(s.port(), request("POST", "/v1/policies/deploy", json::serialize(body), kAdminToken));
  ASSERT_EQ(deployed.status, 200) << deployed.body << s.log();
  EXPECT_EQ(json::parse(deployed.body).at("version").as_string(), "console-1");
  EXPECT_EQ(read(s.policy_path()), next);
  std::this_thread::sleep_for(1500ms);  // the watcher polls every 500 ms: let it look
  s.signal(SIGTERM);
  ASSERT_EQ(s.wait_exit(10s), 0);

  auto [rc, out] = run_kyc("policy history --format json --data-dir " + s.data_dir().string());
  ASSERT_EQ(rc, 0) << out;
  auto history = json::parse(out).as_array();
  ASSERT_EQ(history.size(), 2u) << out;
  EXPECT_EQ(history[1].at("trigger").as_string(), "console");
  EXPECT_EQ(history[1].at("by").as_string(), "ops-admin");
  EXPECT_EQ(history[1].at("note").as_string(), "Reviewed with compliance\nticket 42\x1b[2K");
  EXPECT_EQ(history[0].at("note").as_string(), "");

  auto [text_rc, text] = run_kyc("policy history --data-dir " + s.data_dir().string());
  ASSERT_EQ(text_rc, 0) << text;
  EXPECT_NE(text.find("console      ops-admin  Reviewed with compliance ticket 42<U+001B>[2K\n"),
            std::string::npos)
      << text;
}
