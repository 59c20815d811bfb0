// The notice through the route table, without sockets: a message that quotes a fact the policy
// marks `personal` reaches a backend (evaluate role) with the value withheld, and an auditor
// whole; an unmarked fact is quoted to both.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <future>

#include "server/api.h"
#include "service/activations.h"
#include "store/memory/memory_store.h"

using namespace kyc::server;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

const std::string kEvaluateToken = "evaluate-token-notice-routes-1";
const std::string kAuditToken = "audit-token-notice-routes-0001";

const std::string kPolicy = R"(policy "n" {
  version "1"
  locales en
}

facts {
  employer : string personal
  branch   : string
}

reason EMPLOYER_UNKNOWN {
  outcome resubmit
  when employer != "ACME"
  message en {
    title  "Employer"
    detail "We do not know {employer} at {branch}."
    action "Check it."
  }
}

notice en {
  subject  "Your verification"
  greeting "Hello,"
  intro    "About your verification:"
  closing  "Thank you."
}
)";

class NoticeRoutes : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("kyc-notice-routes-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "policies");
    std::ofstream(dir_ / "policies" / "n.policy") << kPolicy;
    std::ofstream(dir_ / "tokens")
        << kyc::service::token_line(kEvaluateToken, kyc::service::kEvaluate) << " backend\n"
        << kyc::service::token_line(kAuditToken, kyc::service::kAudit) << " auditor\n";
    tokens_ = *TokenFile::open((dir_ / "tokens").string());
    policies_ = std::make_unique<PolicyStore>((dir_ / "policies").string(), "n.policy");
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

  // The decision is recorded off the calling thread: wait for the reply.
  HttpResponse call(const std::string& method, const std::string& target, const std::string& body,
                    const std::string& token) {
    auto ex = std::make_shared<Exchange>();
    ex->request.method = method;
    ex->request.target = target;
    ex->request.body = body;
    ex->request.content_type = "application/json";
    ex->request.authorization = "Bearer " + token;
    auto answered = std::make_shared<std::promise<HttpResponse>>();
    ex->reply = [answered](HttpResponse r, const RequestNotes&) { answered->set_value(r); };
    api_->handle(ex);
    auto reply = answered->get_future();
    EXPECT_EQ(reply.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    return reply.get();
  }

  std::string notice_text(const std::string& id, const std::string& token) {
    auto r = call("GET", "/v1/verifications/" + id + "/notice?locale=en", "", token);
    EXPECT_EQ(r.status, 200) << r.body;
    return std::string(json::parse(r.body).at("text").as_string());
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

TEST_F(NoticeRoutes, AMarkedFactIsWithheldFromABackendAndShownToAnAuditor) {
  json::object body{{"facts", {{"employer", "GLOBEX WIDGETS"}, {"branch", "Bonn"}}},
                    {"account_id", "acct-1"}};
  auto decided = call("POST", "/v1/evaluate", json::serialize(body), kEvaluateToken);
  ASSERT_EQ(decided.status, 200) << decided.body;
  std::string id(json::parse(decided.body).at("decision_id").as_string());

  std::string backend = notice_text(id, kEvaluateToken);
  EXPECT_NE(backend.find("We do not know *** at Bonn."), std::string::npos) << backend;
  EXPECT_EQ(backend.find("GLOBEX"), std::string::npos) << backend;

  std::string auditor = notice_text(id, kAuditToken);
  EXPECT_NE(auditor.find("We do not know GLOBEX WIDGETS at Bonn."), std::string::npos) << auditor;
}

TEST_F(NoticeRoutes, ARegionalLocaleFindsItsLanguageInTheAnswerAndTheNotice) {
  // `de-DE` was answered in English by a policy with `de`, and its notice was a 422 (probe,
  // stop 48): both now find the language, as RFC 4647 lookup does.
  std::string with_de = kPolicy;
  with_de.replace(with_de.find("locales en"), 10, "locales en, de");
  with_de.replace(with_de.find("  }\n}\n\nnotice en"), 6,
                  "  }\n  message de { title \"Arbeitgeber\" detail \"Unbekannt: {employer}.\" "
                  "action \"Prüfen.\" }\n}\n");
  with_de +=
      "notice de {\n  subject \"Ihre Prüfung\"\n  greeting \"Hallo,\"\n  intro \"Zu Ihrer "
      "Prüfung:\"\n  closing \"Danke.\"\n}\n";
  with_de.replace(with_de.find("version \"1\""), 11, "version \"2\"");
  std::ofstream(dir_ / "policies" / "n.policy") << with_de;
  ASSERT_TRUE(policies_->reload("test")) << policies_->last_error();

  json::object body{{"facts", {{"employer", "GLOBEX"}, {"branch", "Bonn"}}}, {"locale", "de-DE"}};
  auto decided = call("POST", "/v1/evaluate", json::serialize(body), kEvaluateToken);
  ASSERT_EQ(decided.status, 200) << decided.body;
  auto answer = json::parse(decided.body).as_object();
  EXPECT_EQ(answer.at("locale"), "de");
  std::string id(answer.at("decision_id").as_string());
  for (const char* asked : {"de-DE", "DE_at", "de"}) {
    auto r = call("GET", "/v1/verifications/" + id + "/notice?locale=" + asked, "", kAuditToken);
    ASSERT_EQ(r.status, 200) << asked << ": " << r.body;
    EXPECT_NE(json::parse(r.body).at("text").as_string().find("Hallo,"), std::string::npos)
        << asked;
  }
  auto unknown = call("GET", "/v1/verifications/" + id + "/notice?locale=fr-FR", "", kAuditToken);
  EXPECT_EQ(unknown.status, 422);
  EXPECT_NE(unknown.body.find("no messages in 'fr-FR' (it has en, de)"), std::string::npos)
      << unknown.body;
}
