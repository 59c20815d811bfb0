// What the service leaves on disk and in its log: a private data folder, token hashes rather
// than tokens, a policy file that cannot lead out of its folder, and a log whose every line is
// one well-formed JSON object without account ids or query strings.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>
#include <thread>

#include "http_client.h"
#include "server_process.h"

using namespace kyc::e2e;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

unsigned mode_of(const fs::path& p) {
  struct stat st;
  if (stat(p.c_str(), &st) != 0) return 0;
  return st.st_mode & 0777;
}

Response send(int port, const std::string& raw) {
  Connection c(port);
  EXPECT_TRUE(c.ok());
  EXPECT_TRUE(c.send(raw));
  return c.read().value_or(Response{});
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST(Files, TheDataFolderAndEveryFileInItArePrivate) {
  // No --tokens: the service creates its development tokens file itself.
  ServerProcess s({}, [](const fs::path&) {});
  ASSERT_GT(s.port(), 0) << s.log();
  std::string facts = R"({"facts":{"file.format":"jpeg"},"account_id":"a"})";
  EXPECT_EQ(send(s.port(), request("POST", "/v1/evaluate", facts, kEvaluateToken)).status, 200);
  EXPECT_EQ(mode_of(s.data_dir()), 0700u);
  for (const char* name : {"audit.db", "audit.db-wal", "document.key"}) {
    ASSERT_TRUE(fs::exists(s.data_dir() / name)) << name;
    EXPECT_EQ(mode_of(s.data_dir() / name), 0600u) << name;
  }
}

TEST(Files, AFolderAnImportMakesIsPrivateBeforeTheServiceEverStarts) {
  char tmpl[] = "/tmp/kycd-import-XXXXXX";
  fs::path dir = mkdtemp(tmpl);
  fs::path csv = dir / "accounts.csv";
  std::ofstream(csv) << "account_id,full_name,birth_date,country,document_type,document_number\n"
                     << "a1,ANNA MUSTER,1990-01-02,DEU,passport,C01X00T47\n";
  fs::path data = dir / "new" / "var";
  auto [rc, out] = run_kyc("accounts import " + csv.string() + " --data-dir " + data.string());
  ASSERT_EQ(rc, 0) << out;
  EXPECT_EQ(mode_of(data), 0700u);
  for (const char* name : {"audit.db", "document.key"}) {
    ASSERT_TRUE(fs::exists(data / name)) << name;
    EXPECT_EQ(mode_of(data / name), 0600u) << name;
  }
  fs::remove_all(dir);
}

TEST(Files, ADevelopmentTokensFileHoldsOnlyTheHash) {
  char tmpl[] = "/tmp/kycd-devtok-XXXXXX";
  fs::path dir = mkdtemp(tmpl);
  fs::path tokens = dir / "var" / "tokens";
  // Started without --tokens, kyc serve makes var/tokens; stop it as soon as it listens.
  std::string cmd = std::string(KYC_BINARY) + " serve --listen 127.0.0.1:0 --port-file " +
                    (dir / "port").string() + " --policy-dir " KYC_SOURCE_DIR "/policies" +
                    " --data-dir " + (dir / "var").string() + " > " + (dir / "out").string() +
                    " 2> " + (dir / "err").string() + " & echo $!";
  FILE* p = popen(cmd.c_str(), "r");
  int pid = 0;
  ASSERT_EQ(fscanf(p, "%d", &pid), 1);
  pclose(p);
  for (int i = 0; i < 200 && !fs::exists(dir / "port"); ++i) std::this_thread::sleep_for(20ms);
  kill(pid, SIGTERM);
  for (int i = 0; i < 200 && kill(pid, 0) == 0; ++i) std::this_thread::sleep_for(20ms);
  std::string err = read_all(dir / "err"), file = read_all(tokens);
  size_t at = err.find("(shown once): ");
  ASSERT_NE(at, std::string::npos) << err;
  std::string token = err.substr(at + 14, 52);
  EXPECT_EQ(mode_of(tokens), 0600u);
  EXPECT_EQ(file.find(token), std::string::npos) << "the token itself is in the file";
  EXPECT_NE(file.find("sha256:" + kyc::common::sha256_hex(token)), std::string::npos) << file;
  EXPECT_EQ(read_all(dir / "out").find(token), std::string::npos) << "the token was logged";
  fs::remove_all(dir);
}

TEST(Files, TokensAreReadAgainOnSighup) {
  ServerProcess s;
  fs::path tokens = s.data_dir().parent_path() / "tokens";
  // Named, so that the audit log and the policy history say who (probe, stop 48: only an
  // edit by hand could name a token).
  auto [status, token] =
      run_kyc("tokens new --roles audit --name ann@example.com --file " + tokens.string());
  ASSERT_EQ(status, 0) << token;
  token.erase(token.find_last_not_of("\n") + 1);
  EXPECT_NE(read_all(tokens).find(" audit ann@example.com\n"), std::string::npos)
      << read_all(tokens);
  EXPECT_NE(run_kyc("tokens new --name 'two words' --file " + tokens.string()).first, 0);
  EXPECT_EQ(send(s.port(), request("GET", "/v1/policies", "", token)).status, 401);
  s.signal(SIGHUP);
  int got = 0;
  for (int i = 0; i < 50 && got != 200; ++i) {
    std::this_thread::sleep_for(50ms);
    got = send(s.port(), request("GET", "/v1/policies", "", token)).status;
  }
  EXPECT_EQ(got, 200) << s.log();
  // A token of the wrong role is still a 403, and the old tokens still work.
  EXPECT_EQ(send(s.port(), request("POST", "/v1/admin/reload", "", token)).status, 403);
  EXPECT_EQ(send(s.port(), request("GET", "/v1/policies", "", kAuditToken)).status, 200);
}

TEST(Files, APolicyLinkOutOfTheFolderIsRefusedWithoutEchoingIt) {
  ServerProcess s;
  fs::remove(s.policy_path());
  fs::create_symlink("/etc/passwd", s.policy_path());
  auto reloaded = send(s.port(), request("POST", "/v1/admin/reload", "", kAdminToken));
  EXPECT_EQ(reloaded.status, 422);
  auto listed = send(s.port(), request("GET", "/v1/policies", "", kEvaluateToken));
  EXPECT_EQ(listed.status, 200);
  for (const std::string& body : {reloaded.body, listed.body}) {
    EXPECT_EQ(body.find("root:"), std::string::npos) << body;
    EXPECT_EQ(body.find("/etc"), std::string::npos) << body;
    EXPECT_EQ(body.find(s.policy_path().parent_path().string()), std::string::npos) << body;
  }
  EXPECT_NE(listed.body.find("leads out of the policy folder"), std::string::npos) << listed.body;
  EXPECT_NE(listed.body.find("kyc-document"), std::string::npos) << "the running policy stays";
  // A broken policy inside the folder is reported by position, without its lines.
  fs::remove(s.policy_path());
  std::ofstream(s.policy_path()) << "policy \"x\" {\n  version \"SECRET-LINE\"\n  bogus\n}\n";
  auto broken = send(s.port(), request("POST", "/v1/admin/reload", "", kAdminToken));
  EXPECT_EQ(broken.status, 422);
  EXPECT_NE(broken.body.find("kyc.policy:3:3: error:"), std::string::npos) << broken.body;
  EXPECT_EQ(broken.body.find("SECRET-LINE"), std::string::npos) << broken.body;
}

TEST(Logs, EveryLineIsOneJsonObjectWithoutAccountIdsOrQueries) {
  ServerProcess s;
  send(s.port(),
       request("GET", "/v1/accounts/alice%40example.com/verifications?after=0", "", kAuditToken));
  send(s.port(), request("PUT", "/v1/accounts/bob@example.com/primary",
                         R"({"full_name":"Bob \"the\" Builder"})", kAdminToken));
  send(s.port(), request("GET", "/v1/policies?x=%22%0A", "", kAuditToken));
  send(s.port(), request("GET", "/nowhere/carol@example.com", "", kAuditToken));
  s.signal(SIGHUP);
  std::this_thread::sleep_for(1500ms);  // the access log is flushed every second
  s.signal(SIGTERM);
  s.wait_exit(5000ms);
  std::string log = s.log();
  size_t json_lines = 0;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] != '{') continue;  // the test harness's own stderr lines
    boost::system::error_code ec;
    auto v = json::parse(line, ec);
    EXPECT_FALSE(ec) << line;
    EXPECT_TRUE(!ec && v.is_object()) << line;
    ++json_lines;
  }
  EXPECT_GE(json_lines, 8u) << log;
  for (const char* needle : {"tokens", "audit_log", "listening", "reload", "stopped"})
    EXPECT_NE(log.find(std::string("\"event\":\"") + needle + "\""), std::string::npos) << needle;
  EXPECT_EQ(log.find("example.com"), std::string::npos) << log;
  EXPECT_EQ(log.find("after=0"), std::string::npos) << log;
  EXPECT_NE(log.find(R"("path":"/v1/accounts/{id}/verifications")"), std::string::npos) << log;
  // Every non-JSON line is gone from the log: nothing but the JSON lines is on stdout.
  std::istringstream all(log);
  for (std::string line; std::getline(all, line);)
    EXPECT_TRUE(line.empty() || line[0] == '{') << "not a JSON line: " << line;
}

TEST(Files, ALostDocumentKeyOrTokensFileStopsTheStartInsteadOfBeingMadeAgain) {
  // A new document key made in place of a lost one let a document already on an account
  // approve another, and a new tokens file printed a token with every role to the journal
  // (operator probe, stop 48).
  char tmpl[] = "/tmp/kycd-lostkey-XXXXXX";
  fs::path dir = mkdtemp(tmpl);
  fs::path data = dir / "var";
  auto serve = [&] {
    return run_kyc("serve --listen 127.0.0.1:0 --shutdown-deadline 1 --policy-dir " KYC_SOURCE_DIR
                   "/policies --data-dir " +
                   data.string() + " & sleep 1; kill $! 2>/dev/null");
  };
  serve();  // the first start makes the keys and a development token
  ASSERT_TRUE(fs::exists(data / "document.key"));
  fs::remove(data / "document.key");
  auto [rc, out] =
      run_kyc("serve --listen 127.0.0.1:0 --policy-dir " KYC_SOURCE_DIR "/policies --data-dir " +
              data.string());
  EXPECT_NE(rc, 0);
  EXPECT_NE(out.find("document.key is missing while the chain key"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(data / "document.key")) << "a new key was made";

  fs::remove_all(data);
  serve();
  fs::remove(data / "tokens");
  auto [rc2, out2] =
      run_kyc("serve --listen 127.0.0.1:0 --policy-dir " KYC_SOURCE_DIR "/policies --data-dir " +
              data.string());
  EXPECT_NE(rc2, 0);
  EXPECT_NE(out2.find("tokens is missing, and this data folder is not new"), std::string::npos)
      << out2;
  EXPECT_EQ(out2.find("(shown once)"), std::string::npos) << out2;
  fs::remove_all(dir);
}
