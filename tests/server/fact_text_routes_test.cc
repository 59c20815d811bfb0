// A fact's text is bounded where requests come in (Limits::fact_text_bytes): rules compare
// texts pairwise, and two names of 150 KB through name_similarity held the service 35 s. The
// refusal names the fact by its dotted path and both sizes. (Primary data: the e2e bad-input
// table, which has an account store.)
#include <gtest/gtest.h>

#include <string>

#include "server/api.h"

using namespace kyc::server;

namespace {

class FactTextRoutes : public ::testing::Test {
 protected:
  FactTextRoutes() {
    options_.limits.fact_text_bytes = 16;
    api_ = std::make_unique<Api>(options_, policies_, metrics_, nullptr);
  }
  HttpResponse send(const std::string& method, const std::string& target, const std::string& body) {
    auto ex = std::make_shared<Exchange>();
    ex->request.method = method;
    ex->request.target = target;
    ex->request.content_type = "application/json";
    ex->request.body = body;
    HttpResponse out;
    ex->reply = [&out](HttpResponse r, const RequestNotes&) { out = std::move(r); };
    api_->handle(ex);
    return out;
  }
  static std::string text(size_t n) { return "\"" + std::string(n, 'a') + "\""; }

  ServeOptions options_;
  Metrics metrics_;
  PolicyStore policies_{"/nonexistent", "kyc.policy"};
  std::unique_ptr<Api> api_;
};

}  // namespace

TEST_F(FactTextRoutes, AnEvaluatedFactOverTheLimitIsNamedWithItsSize) {
  auto nested =
      send("POST", "/v1/evaluate",
           "{\"facts\":{\"document\":{\"type\":\"passport\",\"name\":" + text(17) + "}}}");
  EXPECT_EQ(nested.status, 422) << nested.body;
  EXPECT_NE(nested.body.find("fact \\\"document.name\\\" holds 17 bytes of text; at most 16"),
            std::string::npos)
      << nested.body;
  // A text inside a list counts, and a dotted key is named as it was sent.
  auto listed = send("POST", "/v1/evaluate",
                     "{\"facts\":{\"a\":\"x\",\"names.aliases\":[\"b\"," + text(40) + "]}}");
  EXPECT_EQ(listed.status, 422) << listed.body;
  EXPECT_NE(listed.body.find("\\\"names.aliases\\\" holds 40 bytes"), std::string::npos)
      << listed.body;
}

TEST_F(FactTextRoutes, TextAtTheLimitGoesOnToTheDecision) {
  // No policy is loaded here: getting past the check means the 503 for that.
  auto r = send("POST", "/v1/evaluate", "{\"facts\":{\"document\":{\"name\":" + text(16) + "}}}");
  EXPECT_NE(r.status, 422) << r.body;
  EXPECT_EQ(r.body.find("bytes of text"), std::string::npos) << r.body;
}

TEST_F(FactTextRoutes, AFactNameOverTheLimitIsRefusedAndShownCut) {
  // An unknown fact is echoed in ignored_facts: a name of 900 KB came back whole before.
  auto r = send("POST", "/v1/evaluate",
                "{\"facts\":{\"document\":{\"" + std::string(100, 'k') + "\":1}}}");
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_NE(r.body.find("fact \\\"document." + std::string(40, 'k') +
                        "...\\\" has a name of 100 bytes of text; at most 16"),
            std::string::npos)
      << r.body;
  auto short_name =
      send("POST", "/v1/evaluate", "{\"facts\":{\"" + std::string(17, 'k') + "\":1}}");
  EXPECT_EQ(short_name.status, 422) << short_name.body;
  EXPECT_NE(short_name.body.find("\\\"" + std::string(17, 'k') + "\\\" has a name of 17 bytes"),
            std::string::npos)
      << short_name.body;
}
