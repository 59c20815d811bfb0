// HTTPS and mTLS end to end: the test makes its own CAs and certificates with the openssl
// command, starts the real `kyc serve` with them and speaks to it with curl and
// `openssl s_client`.
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

// A shell command's exit status and what it printed (both streams).
std::pair<int, std::string> sh(const std::string& command) {
  FILE* p = popen(("(" + command + ") 2>&1").c_str(), "r");
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// Two CAs (the trusted one and another), two server certificates of the trusted CA (serials
// 1001 and 2002), a client certificate of each CA. Made once for the suite.
class Certificates {
 public:
  Certificates() {
    char tmpl[] = "/tmp/kycd-tls-XXXXXX";
    dir_ = mkdtemp(tmpl);
    std::ofstream(dir_ / "server.ext")
        << "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n";
    std::ofstream(dir_ / "client.ext") << "extendedKeyUsage=clientAuth\n";
    make_ca("ca", "kycd-test-ca");
    make_ca("other-ca", "someone-else");
    issue("server", "ca", "localhost", "0x1001", "server.ext");
    issue("server2", "ca", "kycd-renewed", "0x2002", "server.ext");
    issue("client", "ca", "backend-7", "0x3003", "client.ext");
    issue("stranger", "other-ca", "backend-7", "0x4004", "client.ext");
  }
  ~Certificates() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string operator()(const std::string& name) const { return (dir_ / name).string(); }

 private:
  static constexpr const char* kKey = "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";
  void run(const std::string& command) {
    auto [code, out] = sh("cd " + dir_.string() + " && " + command);
    ASSERT_EQ(code, 0) << command << "\n" << out;
  }
  void make_ca(const std::string& name, const std::string& cn) {
    run(std::string("openssl req -x509 ") + kKey + " -keyout " + name + ".key -out " + name +
        ".pem -days 2 -subj /CN=" + cn);
  }
  void issue(const std::string& name, const std::string& ca, const std::string& cn,
             const std::string& serial, const std::string& ext) {
    run(std::string("openssl req ") + kKey + " -keyout " + name + ".key -out " + name +
        ".csr -subj /CN=" + cn);
    run("openssl x509 -req -in " + name + ".csr -CA " + ca + ".pem -CAkey " + ca +
        ".key -set_serial " + serial + " -days 2 -extfile " + ext + " -out " + name + ".pem");
  }
  fs::path dir_;
};

const Certificates& certs() {
  static Certificates c;
  return c;
}

std::string facts_body() {
  std::string text;
  kyc::dsl::read_file(KYC_SOURCE_DIR "/policies/examples/expired-passport.json", text);
  json::object facts = json::parse(text).as_object();
  facts.erase("today");
  json::object body{{"facts", facts}, {"account_id", "acct-1"}, {"locale", "en"}};
  return json::serialize(body);
}

// curl over HTTPS, trusting the test CA; "STATUS BODY" or curl's error (exit status != 0).
std::pair<int, std::string> curl(int port, const std::string& path, const std::string& args = "") {
  return sh("curl -sS --max-time 10 --cacert " + certs()("ca.pem") + " " + args +
            " -w ' %{http_code}' https://127.0.0.1:" + std::to_string(port) + path);
}

std::string client_cert(const std::string& name) {
  return "--cert " + certs()(name + ".pem") + " --key " + certs()(name + ".key");
}

// The serial of the certificate a new connection is served.
std::string served_serial(int port) {
  auto [code, out] =
      sh("echo | openssl s_client -connect 127.0.0.1:" + std::to_string(port) + " -CAfile " +
         certs()("ca.pem") + " 2>/dev/null | openssl x509 -noout -serial");
  return out;
}

uint64_t metric(int port, const std::string& name, const std::string& args = "") {
  auto [code, out] = curl(port, "/metrics", args);
  size_t at = out.find("\n" + name + " ");
  if (at == std::string::npos) return ~uint64_t{0};
  return std::stoull(out.substr(at + name.size() + 2));
}

std::vector<std::string> tls_args(const std::string& cert = certs()("server.pem"),
                                  const std::string& key = certs()("server.key")) {
  return {"--tls-cert", cert, "--tls-key", key};
}

bool log_has(const ServerProcess& s, const std::string& text) {
  for (int i = 0; i < 50; ++i) {
    if (s.log().find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

}  // namespace

TEST(Tls, HealthAndEvaluateOverHttps) {
  ServerProcess s(tls_args());
  ASSERT_GT(s.port(), 0) << s.log();
  auto [code, out] = curl(s.port(), "/healthz");
  EXPECT_EQ(code, 0) << out;
  EXPECT_TRUE(out.ends_with(" 200")) << out;
  std::ofstream(certs()("facts.json")) << facts_body();
  auto [code2, out2] =
      curl(s.port(), "/v1/evaluate",
           "-H 'Authorization: Bearer " + kEvaluateToken +
               "' -H 'Content-Type: application/json' --data-binary @" + certs()("facts.json"));
  EXPECT_EQ(code2, 0) << out2;
  EXPECT_TRUE(out2.ends_with(" 200")) << out2;
  EXPECT_NE(out2.find("DOC_EXPIRED"), std::string::npos) << out2;
  // Without the test CA the certificate is not trusted: the client refuses it.
  auto [code3, out3] =
      sh("curl -sS --max-time 10 https://127.0.0.1:" + std::to_string(s.port()) + "/healthz");
  EXPECT_NE(code3, 0) << out3;
  EXPECT_TRUE(log_has(s, "\"event\":\"tls\",\"subject\":\"CN=localhost\",\"serial\":\"1001\""))
      << s.log();
  EXPECT_GE(metric(s.port(), "kycd_tls_handshakes_total"), 2u);
}

TEST(Tls, PlainHttpToTheTlsPortIsAnsweredAndTheServerKeepsServing) {
  ServerProcess s(tls_args());
  ASSERT_GT(s.port(), 0) << s.log();
  auto before = metric(s.port(), "kycd_tls_handshake_failures_total");
  auto r = call(s.port(), request("GET", "/healthz"));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("HTTPS"), std::string::npos) << r.body;
  // Garbage, and a client that never says anything within the read timeout: both closed.
  {
    Connection junk(s.port());
    junk.send(std::string(300, 'x'));
    EXPECT_TRUE(junk.closed_by_server(5s));
  }
  auto [code, out] = curl(s.port(), "/healthz");
  EXPECT_TRUE(out.ends_with(" 200")) << out;
  EXPECT_EQ(metric(s.port(), "kycd_tls_handshake_failures_total"), before + 2);
}

TEST(Tls, SilentClientIsCutOffAtTheReadTimeout) {
  auto args = tls_args();
  args.insert(args.end(), {"--read-timeout", "300"});
  ServerProcess s(args);
  ASSERT_GT(s.port(), 0) << s.log();
  Connection idle(s.port());
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(idle.closed_by_server(5s));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
  EXPECT_EQ(metric(s.port(), "kycd_tls_handshake_failures_total"), 1u);
}

TEST(Tls, Tls11IsRefusedAndTls12Accepted) {
  ServerProcess s(tls_args());
  ASSERT_GT(s.port(), 0) << s.log();
  std::string connect = "echo | openssl s_client -connect 127.0.0.1:" + std::to_string(s.port()) +
                        " -CAfile " + certs()("ca.pem") + " -cipher DEFAULT@SECLEVEL=0 ";
  auto before = metric(s.port(), "kycd_tls_handshake_failures_total");
  auto [old_code, old_out] = sh(connect + "-tls1_1");
  EXPECT_NE(old_code, 0) << old_out;
  // The refusal came from the server (its counter moved), not from the client's own settings.
  EXPECT_EQ(metric(s.port(), "kycd_tls_handshake_failures_total"), before + 1);
  auto [code, out] = sh(connect + "-tls1_2");
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("ECDHE"), std::string::npos) << out;
  auto [weak_code, weak_out] = sh(connect + "-tls1_2 -cipher AES128-SHA:@SECLEVEL=0");
  EXPECT_NE(weak_code, 0) << "a non-forward-secret, non-AEAD suite was accepted\n" << weak_out;
  EXPECT_TRUE(log_has(s, "tls_handshake_failed")) << s.log();
}

TEST(Tls, MutualTlsRequiresAClientCertificateOfTheGivenCa) {
  auto args = tls_args();
  args.insert(args.end(), {"--tls-client-ca", certs()("ca.pem")});
  ServerProcess s(args);
  ASSERT_GT(s.port(), 0) << s.log();
  auto [none_code, none_out] = curl(s.port(), "/healthz");
  EXPECT_NE(none_code, 0) << none_out;
  EXPECT_FALSE(none_out.ends_with(" 200")) << none_out;
  auto [other_code, other_out] = curl(s.port(), "/healthz", client_cert("stranger"));
  EXPECT_NE(other_code, 0) << other_out;
  EXPECT_FALSE(other_out.ends_with(" 200")) << other_out;
  auto [code, out] = curl(s.port(), "/healthz", client_cert("client"));
  EXPECT_EQ(code, 0) << out;
  EXPECT_TRUE(out.ends_with(" 200")) << out;
  EXPECT_GE(metric(s.port(), "kycd_tls_handshake_failures_total", client_cert("client")), 2u);
  // The access line names the client.
  EXPECT_TRUE(log_has(s, "\"client_cn\":\"backend-7\"")) << s.log();
}

TEST(Tls, SighupLoadsANewCertificateAndKeepsTheOldOneWhenTheNewIsBroken) {
  char tmpl[] = "/tmp/kycd-tls-live-XXXXXX";
  fs::path live = mkdtemp(tmpl);
  fs::copy_file(certs()("server.pem"), live / "cert.pem");
  fs::copy_file(certs()("server.key"), live / "key.pem");
  ServerProcess s(tls_args((live / "cert.pem").string(), (live / "key.pem").string()));
  ASSERT_GT(s.port(), 0) << s.log();
  EXPECT_EQ(served_serial(s.port()), "serial=1001\n");
  fs::copy_file(certs()("server2.pem"), live / "cert.pem", fs::copy_options::overwrite_existing);
  fs::copy_file(certs()("server2.key"), live / "key.pem", fs::copy_options::overwrite_existing);
  s.signal(SIGHUP);
  std::string serial;
  for (int i = 0; i < 50 && serial != "serial=2002\n"; ++i) {
    std::this_thread::sleep_for(100ms);
    serial = served_serial(s.port());
  }
  EXPECT_EQ(serial, "serial=2002\n") << s.log();
  // A broken file: the running certificate stays, the service stays up, the log says why.
  std::ofstream(live / "cert.pem", std::ios::trunc) << "not a certificate\n";
  s.signal(SIGHUP);
  EXPECT_TRUE(log_has(s, "\"event\":\"tls_reload\",\"trigger\":\"SIGHUP\",\"ok\":false"))
      << s.log();
  EXPECT_EQ(served_serial(s.port()), "serial=2002\n");
  auto [code, out] = curl(s.port(), "/healthz");
  EXPECT_TRUE(out.ends_with(" 200")) << out;
  std::error_code ec;
  fs::remove_all(live, ec);
}

// `kyc serve ARGS` on a scratch folder of its own, stopped by SIGTERM after `seconds` if still
// running; its exit status and output.
std::pair<int, std::string> serve_briefly(const std::string& args, int seconds) {
  char tmpl[] = "/tmp/kycd-tls-once-XXXXXX";
  fs::path dir = mkdtemp(tmpl);
  fs::create_directories(dir / "policies");
  fs::copy_file(KYC_SOURCE_DIR "/policies/kyc.policy", dir / "policies" / "kyc.policy");
  auto result = sh("timeout " + std::to_string(seconds) + " " + std::string(KYC_BINARY) +
                   " serve --no-auth --policy-dir " + (dir / "policies").string() + " --data-dir " +
                   (dir / "var").string() + " " + args);
  std::error_code ec;
  fs::remove_all(dir, ec);
  return result;
}

// A start with files that cannot serve fails at once, naming the file and the reason.
TEST(Tls, BadFilesAtStartAreAClearErrorAndANonZeroExit) {
  std::ofstream(certs()("garbage.pem")) << "-----BEGIN CERTIFICATE-----\nbm9wZQ==\n";
  std::string missing = certs()("missing.pem"), garbage = certs()("garbage.pem");
  struct Case {
    std::string flags, file, reason;
  };
  std::vector<Case> cases = {
      {"--tls-cert " + missing + " --tls-key " + certs()("server.key"), missing, "No such file"},
      {"--tls-cert " + garbage + " --tls-key " + certs()("server.key"), garbage, "PEM"},
      {"--tls-cert " + certs()("server.pem") + " --tls-key " + certs()("client.key"),
       certs()("client.key"), "does not belong"},
      {"--tls-cert " + certs()("server.pem") + " --tls-key " + certs()("server.key") +
           " --tls-client-ca " + garbage,
       garbage, "client CA"},
      {"--tls-cert " + certs()("server.pem"), "--tls-key", "go together"},
  };
  for (const auto& c : cases) {
    auto [code, out] = serve_briefly("--listen 127.0.0.1:0 " + c.flags, 30);
    EXPECT_EQ(code, 1) << c.flags << "\n" << out;
    EXPECT_NE(out.find("startup_failed"), std::string::npos) << out;
    EXPECT_NE(out.find(c.file), std::string::npos) << out;
    EXPECT_NE(out.find(c.reason), std::string::npos) << out;
  }
}

// Plain HTTP on an address other than loopback is allowed, with a warning at start.
TEST(Tls, PlainHttpOffLoopbackWarns) {
  auto [code, out] = serve_briefly("--listen 0.0.0.0:0", 4);
  EXPECT_NE(out.find("\"event\":\"plain_http\""), std::string::npos) << out;
  EXPECT_NE(out.find("\"event\":\"listening\""), std::string::npos) << out;
  auto [quiet_code, quiet_out] = serve_briefly("--listen 127.0.0.1:0", 4);
  EXPECT_EQ(quiet_out.find("plain_http"), std::string::npos) << quiet_out;
  EXPECT_NE(quiet_out.find("\"event\":\"listening\""), std::string::npos) << quiet_out;
}
