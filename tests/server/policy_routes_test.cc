// The console's policy editor and change control through the route table, over a policy folder
// of its own and the in-memory log: the running policy's tests, format, test, deploy (refused
// with nothing written, or written and activated with its note), history, diff, and a recorded
// policy with the lines of its reasons.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "server/api.h"
#include "service/activations.h"
#include "store/memory/memory_store.h"

using namespace kyc::server;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

const std::string kAdminToken = "admin-token-policy-routes-01";
const std::string kAuditToken = "audit-token-policy-routes-01";

// A small policy that reads a list, so a diff shows the list too.
std::string policy_text(const std::string& version, int big = 10) {
  return "policy \"t\" {\n"
         "  version \"" +
         version +
         "\"\n"
         "  locales en\n"
         "}\n"
         "\n"
         "facts {\n"
         "  x : int\n"
         "  country : string\n"
         "}\n"
         "\n"
         "let BLOCKED = list(\"blocked.txt\")\n"
         "\n"
         "reason BIG {\n"
         "  outcome resubmit\n"
         "  when x > " +
         std::to_string(big) +
         "\n"
         "  message en { title \"t\" detail \"d\" action \"a\" }\n"
         "}\n"
         "\n"
         "reason BLOCKED_COUNTRY {\n"
         "  outcome reject\n"
         "  when\n"
         "    country in BLOCKED\n"
         "  message en { title \"t\" detail \"d\" action \"a\" }\n"
         "}\n";
}

// Passes while BIG fires above 10 (not at 11 when the threshold is 11).
const std::string kTests =
    "fixture base {\n"
    "  x = 1\n"
    "  country = \"FR\"\n"
    "}\n"
    "\n"
    "case \"clean\" extends base {\n"
    "  expect approve []\n"
    "}\n"
    "\n"
    "case \"big\" extends base {\n"
    "  x = 11\n"
    "  expect resubmit [BIG]\n"
    "}\n"
    "\n"
    "case \"blocked\" extends base {\n"
    "  country = \"XX\"\n"
    "  expect reject [BLOCKED_COUNTRY]\n"
    "}\n";

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

json::object body_of(const std::string& policy, const std::string& note,
                     const std::optional<std::string>& tests = std::nullopt) {
  json::object o{{"policy", policy}, {"note", note}};
  if (tests) o["tests"] = *tests;
  return o;
}

class PolicyRoutes : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("kyc-policy-routes-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "policies");
    write(policy_path(), policy_text("1"));
    write(tests_path(), kTests);
    write(dir_ / "policies" / "blocked.txt", "XX\nYY\n");
    write(dir_ / "tokens", kyc::service::token_line(kAdminToken, kyc::service::kAdmin) + " ann\n" +
                               kyc::service::token_line(kAuditToken, kyc::service::kAudit) +
                               " auditor\n");
    tokens_ = *TokenFile::open((dir_ / "tokens").string());
    policies_ = std::make_unique<PolicyStore>((dir_ / "policies").string(), "t.policy");
    ASSERT_TRUE(kyc::service::record_activations(*policies_, store_, [](const std::string&) {}));
    ASSERT_TRUE(policies_->reload("start")) << policies_->last_error();
    api_ = std::make_unique<Api>(options_, *policies_, metrics_, tokens_.get(),
                                 Stores{&store_, &store_, nullptr, {}});
  }
  void TearDown() override {
    api_.reset();
    policies_.reset();
    fs::remove_all(dir_);
  }

  fs::path policy_path() const { return dir_ / "policies" / "t.policy"; }
  fs::path tests_path() const { return dir_ / "policies" / "t.test"; }

  HttpResponse call(const std::string& method, const std::string& target,
                    const std::string& body = "", const std::string& token = kAdminToken) {
    auto ex = std::make_shared<Exchange>();
    ex->request.method = method;
    ex->request.target = target;
    ex->request.body = body;
    ex->request.content_type = "application/json";
    ex->request.authorization = "Bearer " + token;
    HttpResponse out;
    ex->reply = [&out](HttpResponse r, const RequestNotes&) { out = std::move(r); };
    api_->handle(ex);
    return out;
  }
  HttpResponse post(const std::string& target, const json::object& body,
                    const std::string& token = kAdminToken) {
    return call("POST", target, json::serialize(body), token);
  }
  static std::string slug(const HttpResponse& r) {
    return std::string(json::parse(r.body).at("type").as_string());
  }
  json::array history() {
    auto r = call("GET", "/v1/policies/history", "", kAuditToken);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body).at("activations").as_array();
  }

  fs::path dir_;
  kyc::store::memory::MemoryStore store_;
  ServeOptions options_;
  Metrics metrics_;
  std::unique_ptr<TokenFile> tokens_;
  std::unique_ptr<PolicyStore> policies_;
  std::unique_ptr<Api> api_;
};

}  // namespace

TEST_F(PolicyRoutes, TheRunningPolicysTestsAreItsTestFile) {
  auto r = call("GET", "/v1/policies/tests", "", kAuditToken);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(r.body, kTests);
  fs::remove(tests_path());
  r = call("GET", "/v1/policies/tests", "", kAuditToken);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(slug(r), "https://kycd.dev/problems/no-tests");
  EXPECT_NE(r.body.find("t.test"), std::string::npos) << r.body;
}

TEST_F(PolicyRoutes, FormatGivesTheCanonicalLayoutOrTheDiagnostics) {
  auto r = post("/v1/policies/format",
                {{"policy", "policy \"p\" {\nversion \"1\"\n      locales en\n}\n"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto out = json::parse(r.body);
  EXPECT_EQ(out.at("formatted"), "policy \"p\" {\n  version \"1\"\n  locales en\n}\n");
  EXPECT_EQ(out.at("changed"), true);

  r = post("/v1/policies/format", {{"tests", "case \"c\" {\nexpect approve []\n}\n"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body).at("formatted"), "case \"c\" {\n  expect approve []\n}\n");

  r = post("/v1/policies/format", {{"policy", "policy \"p\" {\n  version \"1\"\n}\nreason {\n"}});
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(slug(r), "https://kycd.dev/problems/invalid-policy");
  auto problem = json::parse(r.body);
  const auto& diagnostics = problem.at("diagnostics").as_array();
  ASSERT_FALSE(diagnostics.empty());
  EXPECT_EQ(diagnostics[0].at("line"), 4);

  EXPECT_EQ(post("/v1/policies/format", {{"policy", "x"}, {"tests", "y"}}).status, 422);
  EXPECT_EQ(call("POST", "/v1/policies/format", "not json").status, 400);
  // Admin only: the editor's actions.
  EXPECT_EQ(post("/v1/policies/format", {{"policy", "x"}}, kAuditToken).status, 403);
}

TEST_F(PolicyRoutes, TestRunsTheDraftAgainstTheTestFileAndPlacesEachFailure) {
  // BIG at 11: the case "big" (x = 11) no longer fires it.
  auto r = post("/v1/policies/test", {{"policy", policy_text("2", 11)}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto report = json::parse(r.body);
  EXPECT_EQ(report.at("passed"), 2);
  EXPECT_EQ(report.at("failed"), 1);
  const auto& failures = report.at("failures").as_array();
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].at("line"), 10);
  EXPECT_EQ(failures[0].at("column"), 1);
  EXPECT_EQ(failures[0].at("case"), "big");
  EXPECT_EQ(failures[0].at("message"),
            "expected outcome resubmit, got approve; expected reasons [BIG], fired [] "
            "(undetermined: [])");
  EXPECT_TRUE(report.at("diagnostics").as_array().empty());
  EXPECT_EQ(report.at("never_fired").as_array().at(0), "BIG");

  // Given tests replace the file's; their own mistakes are diagnostics.
  r = post("/v1/policies/test", {{"policy", policy_text("2")},
                                 {"tests", "case \"c\" {\n  y = 1\n  expect approve []\n}\n"}});
  ASSERT_EQ(r.status, 200) << r.body;
  report = json::parse(r.body);
  const auto& problems = report.at("diagnostics").as_array();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].at("line"), 2);
  EXPECT_NE(std::string(problems[0].at("message").as_string()).find("no fact 'y'"),
            std::string::npos);

  r = post("/v1/policies/test", {{"policy", "policy \"t\" {\n  version 1\n}\n"}});
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(slug(r), "https://kycd.dev/problems/invalid-policy");
  EXPECT_EQ(json::parse(r.body).at("diagnostics").as_array().at(0).at("line"), 2);
}

TEST_F(PolicyRoutes, ADeployWhoseTestsFailWritesNothing) {
  const std::string before = read(policy_path());
  auto r = post("/v1/policies/deploy", body_of(policy_text("2", 11), "raise the bar"));
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(slug(r), "https://kycd.dev/problems/tests-failed");
  auto problem = json::parse(r.body);
  EXPECT_EQ(problem.at("failed"), 1);
  EXPECT_EQ(problem.at("failures").as_array().at(0).at("case"), "big");
  EXPECT_EQ(read(policy_path()), before);
  EXPECT_EQ(read(tests_path()), kTests);
  // Failing tests sent with it are not written either.
  std::string bad_tests = kTests + "case \"wrong\" extends base {\n  expect reject []\n}\n";
  r = post("/v1/policies/deploy", body_of(policy_text("2"), "with tests", bad_tests));
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(read(tests_path()), kTests);
  EXPECT_EQ(read(policy_path()), before);
  EXPECT_EQ(history().size(), 1u);
  EXPECT_EQ(json::parse(call("GET", "/v1/policies", "", kAuditToken).body)
                .at("policies")
                .as_array()
                .at(0)
                .at("version"),
            "1");
}

TEST_F(PolicyRoutes, ADeployNeedsANoteLoadingTextTestsAndANewVersion) {
  const std::string before = read(policy_path());
  for (auto [note, problem] :
       {std::pair{"", "note-required"}, {"  \n\t ", "note-required"}, {nullptr, "note-required"}}) {
    json::object body{{"policy", policy_text("2")}};
    if (note) body["note"] = note;
    auto r = post("/v1/policies/deploy", body);
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(slug(r), std::string("https://kycd.dev/problems/") + problem);
  }
  auto r = post("/v1/policies/deploy",
                body_of(policy_text("2"), std::string(options_.limits.deploy_note_bytes + 1, 'n')));
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(slug(r), "https://kycd.dev/problems/note-too-long");

  // The text changed, the version did not.
  r = post("/v1/policies/deploy", body_of(policy_text("1", 9), "same version"));
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(slug(r), "https://kycd.dev/problems/version-required");
  EXPECT_NE(r.body.find("the version is still"), std::string::npos) << r.body;

  r = post("/v1/policies/deploy", body_of("policy \"t\" {\n  version \"3\"\n  locales en\n}\n"
                                          "reason R {\n  when nope > 1\n}\n",
                                          "broken"));
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(slug(r), "https://kycd.dev/problems/invalid-policy");
  EXPECT_FALSE(json::parse(r.body).at("diagnostics").as_array().empty());

  fs::remove(tests_path());
  r = post("/v1/policies/deploy", body_of(policy_text("2"), "no tests anywhere"));
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(slug(r), "https://kycd.dev/problems/no-tests");
  r = post("/v1/policies/deploy", body_of(policy_text("2"), "empty tests", "# none\n"));
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(slug(r), "https://kycd.dev/problems/no-tests");
  EXPECT_FALSE(fs::exists(tests_path()));

  EXPECT_EQ(read(policy_path()), before);
  EXPECT_EQ(history().size(), 1u);
  // Admin only.
  EXPECT_EQ(post("/v1/policies/deploy", body_of(policy_text("2"), "x"), kAuditToken).status, 403);
}

TEST_F(PolicyRoutes, ADeployWritesActivatesAndRecordsWhoAndWhy) {
  // The watcher polls fast: it must not activate the written file first, without the note.
  policies_->watch(std::chrono::milliseconds(1));
  std::string tests =
      kTests + "\ncase \"big again\" extends base {\n  x = 99\n  expect resubmit [BIG]\n}\n";
  auto r = post("/v1/policies/deploy",
                body_of(policy_text("2", 9), "  BIG from 10 to 9 after review  ", tests));
  ASSERT_EQ(r.status, 200) << r.body;
  auto answer = json::parse(r.body);
  EXPECT_EQ(answer.at("deployed"), true);
  EXPECT_EQ(answer.at("activated"), true);
  EXPECT_EQ(answer.at("version"), "2");
  EXPECT_EQ(answer.at("sha256").as_string(), policies_->current()->compiled->sha256);
  EXPECT_FALSE(answer.at("activated_at").as_string().empty());
  EXPECT_EQ(read(policy_path()), policy_text("2", 9));
  EXPECT_EQ(read(tests_path()), tests);
  // No temporary file is left beside them.
  size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir_ / "policies")) ++entries;
  EXPECT_EQ(entries, 3u);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));

  auto running = json::parse(call("GET", "/v1/policies", "", kAuditToken).body);
  EXPECT_EQ(running.at("policies").as_array().at(0).at("version"), "2");
  auto list = history();
  ASSERT_EQ(list.size(), 2u) << json::serialize(list);
  EXPECT_EQ(list[0].at("trigger"), "start");
  EXPECT_EQ(list[0].at("note"), "");
  EXPECT_EQ(list[1].at("trigger"), "console");
  EXPECT_EQ(list[1].at("by"), "ann");
  EXPECT_EQ(list[1].at("note"), "BIG from 10 to 9 after review");
  EXPECT_EQ(list[1].at("version"), "2");
  EXPECT_EQ(list[1].at("previous_sha256"), list[0].at("sha256"));
  EXPECT_EQ(list[1].at("file"), "t.policy");

  // The same deploy again changes nothing, and says when the running policy was activated, not
  // now (probe, stop 48: a new activated_at with activated:false).
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto again =
      post("/v1/policies/deploy", body_of(policy_text("2", 9), "the same, by mistake", tests));
  ASSERT_EQ(again.status, 200) << again.body;
  auto repeated = json::parse(again.body);
  EXPECT_EQ(repeated.at("activated"), false);
  EXPECT_EQ(repeated.at("activated_at"), answer.at("activated_at"));
  EXPECT_EQ(history().size(), 2u);
}

TEST_F(PolicyRoutes, DiffShowsTheChangedLinesBetweenTwoVersions) {
  write(dir_ / "policies" / "blocked.txt", "XX\nYY\nZZ\n");  // read by the next load
  auto r = post("/v1/policies/deploy", body_of(policy_text("2", 9), "lower", kTests));
  ASSERT_EQ(r.status, 200) << r.body;
  r = call("GET", "/v1/policies/diff?from=1&to=2", "", kAuditToken);
  ASSERT_EQ(r.status, 200) << r.body;
  auto out = json::parse(r.body);
  EXPECT_EQ(out.at("from").at("version"), "1");
  EXPECT_EQ(out.at("to").at("version"), "2");
  EXPECT_EQ(out.at("to").at("sha256").as_string(), policies_->current()->compiled->sha256);
  std::string diff(out.at("diff").as_string());
  EXPECT_NE(diff.find("-  version \"1\"\n+  version \"2\"\n"), std::string::npos) << diff;
  EXPECT_NE(diff.find("-  when x > 10\n+  when x > 9\n"), std::string::npos) << diff;
  EXPECT_NE(diff.find("+ZZ\n"), std::string::npos) << diff;  // the list too
  // By a sha256 prefix, as kyc policy diff takes it.
  std::string prefix(out.at("from").at("sha256").as_string().subview(0, 8));
  r = call("GET", "/v1/policies/diff?from=" + prefix + "&to=2", "", kAuditToken);
  EXPECT_EQ(r.status, 200) << r.body;

  r = call("GET", "/v1/policies/diff?from=1&to=7", "", kAuditToken);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(slug(r), "https://kycd.dev/problems/unknown-policy");
  EXPECT_EQ(call("GET", "/v1/policies/diff?from=1", "", kAuditToken).status, 400);
  EXPECT_EQ(call("GET", "/v1/policies/diff?from=1&to=2&x=3", "", kAuditToken).status, 400);
}

TEST_F(PolicyRoutes, ARecordedPolicyGivesItsTextFilesAndReasonLines) {
  std::string sha = policies_->current()->compiled->sha256;
  auto r = call("GET", "/v1/policies/recorded/" + sha, "", kAuditToken);
  ASSERT_EQ(r.status, 200) << r.body;
  auto out = json::parse(r.body);
  EXPECT_EQ(out.at("sha256").as_string(), sha);
  EXPECT_EQ(out.at("text").as_string(), policy_text("1"));
  EXPECT_EQ(out.at("files").as_array(), json::array{"blocked.txt"});
  // policy_text(): `reason BIG {` is line 13, its when 15, its brace 17; BLOCKED_COUNTRY's
  // `when` (line 21) is apart from its expression (line 22).
  const auto& reasons = out.at("reasons").as_object();
  ASSERT_EQ(reasons.size(), 2u);
  EXPECT_EQ(reasons.at("BIG").at("line"), 13);
  EXPECT_EQ(reasons.at("BIG").at("when_line"), 15);
  EXPECT_EQ(reasons.at("BIG").at("end_line"), 17);
  EXPECT_EQ(reasons.at("BLOCKED_COUNTRY").at("line"), 19);
  EXPECT_EQ(reasons.at("BLOCKED_COUNTRY").at("when_line"), 21);
  EXPECT_EQ(reasons.at("BLOCKED_COUNTRY").at("end_line"), 24);
  std::istringstream lines(policy_text("1"));
  std::string line;
  for (int n = 1; std::getline(lines, line); ++n)
    if (n == 13) {
      EXPECT_EQ(line, "reason BIG {");
    }

  r = call("GET", "/v1/policies/recorded/" + std::string(64, '0'), "", kAuditToken);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(slug(r), "https://kycd.dev/problems/unknown-policy");
}

TEST(PolicyRoutesWithoutLog, ChangeControlNeedsTheAuditLog) {
  ServeOptions options;
  Metrics metrics;
  PolicyStore policies("/nonexistent", "kyc.policy");
  Api api(options, policies, metrics, nullptr);
  for (const char* target :
       {"/v1/policies/history", "/v1/policies/diff?from=a&to=b", "/v1/policies/recorded/abc"}) {
    auto ex = std::make_shared<Exchange>();
    ex->request.method = "GET";
    ex->request.target = target;
    HttpResponse out;
    ex->reply = [&out](HttpResponse r, const RequestNotes&) { out = std::move(r); };
    api.handle(ex);
    EXPECT_EQ(out.status, 503) << target;
  }
}

TEST_F(PolicyRoutes, ValidateSaysWhatADeployWouldRefuseAndWhichCodesAreGone) {
  // A changed text under the running version was `valid: true`, and only the deploy refused
  // it; a renamed reason code passed without a word (probe, stop 48).
  auto same_version =
      json::parse(call("POST", "/v1/policies/validate", policy_text("1", 11)).body).as_object();
  EXPECT_EQ(same_version.at("valid"), true);
  EXPECT_NE(std::string(same_version.at("activation_refused").as_string())
                .find("the text changed but the version is still \"1\""),
            std::string::npos)
      << json::serialize(same_version);
  std::string renamed = policy_text("2");
  renamed.replace(renamed.find("reason BIG"), 10, "reason TOO_BIG");
  auto answer = json::parse(call("POST", "/v1/policies/validate", renamed).body).as_object();
  EXPECT_EQ(answer.at("valid"), true);
  EXPECT_FALSE(answer.contains("activation_refused"));
  EXPECT_EQ(json::serialize(answer.at("reason_codes_removed")), R"(["BIG"])");
  auto unchanged =
      json::parse(call("POST", "/v1/policies/validate", policy_text("1")).body).as_object();
  EXPECT_FALSE(unchanged.contains("activation_refused"));
  EXPECT_FALSE(unchanged.contains("reason_codes_removed"));
}
