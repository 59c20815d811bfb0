// GET /v1/verifications (and its CSV export), GET /v1/stats and the chain check of
// /v1/audit/verify through the route table, over the in-memory store: what a caller sends (a
// bad parameter is a 400 that names it), what it gets back (flat columns, a cursor, no facts),
// and that answers holding personal data are never cached.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include <boost/json.hpp>

#include "common/sha256.h"
#include "server/api.h"
#include "store/memory/memory_store.h"
#include "tests/server/streamed_body.h"

using namespace kyc::server;

namespace {

// The policy the records name, stored with them (the chain check reads it back).
const std::string kPolicyText = "# the policy's text\n";
const std::string kPolicySha = kyc::common::sha256_hex(kPolicyText);

class SearchRoutes : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 30; ++i) {
      kyc::store::AuditRecord r;
      r.decision_id = "D" + std::to_string(i);
      r.time =
          "2026-11-0" + std::to_string(1 + i / 10) + "T1" + std::to_string(i % 10) + ":00:00.000Z";
      r.account_id = "acct-" + std::to_string(i % 3);
      r.stage = i == 15 ? "activation" : "evaluate";
      r.facts = R"({"primary.name":"Jane Doe"})";
      r.policy_sha256 = kPolicySha;
      r.policy_text = std::make_shared<const std::string>(kPolicyText);
      r.decision =
          i == 15
              ? R"({"version":"v2","sha256":")" + kPolicySha +
                    R"(","trigger":"admin API","by":"ann"})"
              : std::string(R"({"outcome":")") + (i % 2 ? "reject" : "approve") +
                    R"(","reasons":[)" +
                    (i % 2 ? R"({"code":"DOC_EXPIRED","outcome":"reject"})" : "") +
                    R"(],"undetermined":[)" +
                    (i % 4 == 0 ? R"({"code":"DOC_UNREADABLE","missing":["image.blur"]})" : "") +
                    R"(],"policy":{"name":"kyc","version":"v1","sha256":")" + kPolicySha + R"("}})";
      store_.append(r, [](auto) {});
    }
  }
  // The answer, given at once or (a CSV export, read in bulk) from another thread.
  HttpResponse get(const std::string& target, const std::string& method = "GET") {
    auto ex = std::make_shared<Exchange>();
    ex->request.method = method;
    ex->request.target = target;
    auto answer = std::make_shared<std::promise<HttpResponse>>();
    ex->reply = [answer](HttpResponse r, const RequestNotes&) { answer->set_value(std::move(r)); };
    api_.handle(ex);
    auto future = answer->get_future();
    if (future.wait_for(std::chrono::seconds(10)) != std::future_status::ready) return {};
    auto r = future.get();
    if (r.stream) r.body = kyc::server::testing::streamed_body(*r.stream).value_or("(cut short)");
    return r;
  }
  // Polls the chain check until it is done (empty if it never is).
  boost::json::object wait_for_check() {
    for (int i = 0; i < 500; ++i) {
      auto s = boost::json::parse(get("/v1/audit/verify").body).as_object();
      if (s.at("state") == "done") return s;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return {};
  }
  static std::string header(const HttpResponse& r, const std::string& name) {
    for (const auto& [n, v] : r.headers)
      if (n == name) return v;
    return "";
  }

  kyc::store::memory::MemoryStore store_;
  ServeOptions options_;
  Metrics metrics_;
  PolicyStore policies_{"/nonexistent", "kyc.policy"};
  Api api_{options_, policies_, metrics_, nullptr, Stores{&store_, &store_, nullptr, {}}};
};

TEST_F(SearchRoutes, PagesFollowTheCursorNewestFirstWithFlatColumns) {
  auto first = get("/v1/verifications?account_id=acct-1&limit=4");
  ASSERT_EQ(first.status, 200) << first.body;
  auto page = boost::json::parse(first.body).as_object();
  const auto& items = page.at("items").as_array();
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].at("decision_id"), "D28");
  EXPECT_EQ(items[1].at("decision_id"), "D25");
  EXPECT_EQ(items[0].at("outcome"), "approve");
  EXPECT_EQ(items[0].at("undetermined").as_array().at(0), "DOC_UNREADABLE");
  EXPECT_EQ(items[1].at("reasons").as_array().at(0), "DOC_EXPIRED");
  EXPECT_EQ(items[0].at("policy_version"), "v1");
  EXPECT_EQ(items[0].at("policy_sha256").as_string(), kPolicySha);
  EXPECT_FALSE(items[0].as_object().contains("facts"));
  std::string next(page.at("next").as_string());
  // acct-1 made D1, D4, ..., D28 (10, D16 is not an activation): 4 + 4 + 2.
  auto second =
      boost::json::parse(get("/v1/verifications?account_id=acct-1&limit=4&after=" + next).body);
  EXPECT_EQ(second.at("items").as_array().at(0).at("decision_id"), "D16");
  auto third = boost::json::parse(get("/v1/verifications?account_id=acct-1&limit=4&after=" +
                                      std::string(second.at("next").as_string()))
                                      .body);
  EXPECT_EQ(third.at("items").as_array().size(), 2u);
  EXPECT_TRUE(third.at("next").is_null());
}

TEST_F(SearchRoutes, FiltersCombineAndActivationsAreNotDecisions) {
  auto r = boost::json::parse(
      get("/v1/verifications?reason=DOC_EXPIRED&outcome=reject&from=2026-11-02&to=2026-11-03")
          .body);
  const auto& items = r.at("items").as_array();
  ASSERT_EQ(items.size(), 4u);  // D11 D13 D17 D19: D15 is the activation
  EXPECT_EQ(items[0].at("decision_id"), "D19");
  EXPECT_EQ(items[3].at("decision_id"), "D11");
  EXPECT_TRUE(boost::json::parse(get("/v1/verifications?decision_id=D15").body)
                  .at("items")
                  .as_array()
                  .empty());
  EXPECT_EQ(boost::json::parse(get("/v1/verifications?decision_id=D14&outcome=").body)
                .at("items")
                .as_array()
                .size(),
            1u);  // an empty parameter is no filter
}

TEST_F(SearchRoutes, BadParametersAreProblemsThatSayWhich) {
  for (auto [target, words] :
       {std::pair{"/v1/verifications?limit=0", "limit"},
        {"/v1/verifications?limit=501", "limit"},
        {"/v1/verifications?limit=ten", "limit"},
        {"/v1/verifications?after=-3", "after"},
        {"/v1/verifications?outcome=maybe", "outcome"},
        {"/v1/verifications?reason=doc%20expired", "reason"},
        {"/v1/verifications?from=yesterday", "from"},
        {"/v1/verifications?from=2026-11-02T10:00:00%2B02:00", "from"},
        {"/v1/verifications?from=2026-11-03&to=2026-11-02", "before"},
        {"/v1/verifications?acount_id=acct-1", "acount_id"},
        {"/v1/stats?bucket=week", "bucket"},
        {"/v1/stats?bucket=hour", "hour"},
        {"/v1/stats?from=2026-01-01&to=2026-03-01&bucket=hour", "31 days"}}) {
    auto r = get(target);
    EXPECT_EQ(r.status, 400) << target;
    EXPECT_EQ(r.content_type, "application/problem+json");
    EXPECT_NE(r.body.find(words), std::string::npos) << target << ": " << r.body;
  }
}

TEST_F(SearchRoutes, StatsCountPerBucketWithReasonsMissingFactsAndActivations) {
  auto r = get("/v1/stats?from=2026-11-01&to=2026-11-03&bucket=day");
  ASSERT_EQ(r.status, 200) << r.body;
  auto s = boost::json::parse(r.body).as_object();
  EXPECT_EQ(s.at("total"), 19);  // D0..D19 without the activation
  const auto& buckets = s.at("buckets").as_array();
  ASSERT_EQ(buckets.size(), 2u);
  EXPECT_EQ(buckets[0].at("start"), "2026-11-01T00:00:00Z");
  EXPECT_EQ(buckets[0].at("outcomes").at("reject"), 5);
  EXPECT_EQ(buckets[0].at("outcomes").at("review"), 0);
  EXPECT_EQ(buckets[1].at("total"), 9);
  EXPECT_EQ(s.at("reasons").as_array().at(0).at("code"), "DOC_EXPIRED");
  EXPECT_EQ(s.at("reasons").as_array().at(0).at("count"), 9);
  EXPECT_EQ(s.at("undetermined").at("decisions"), 5);  // D0 D4 D8 D12 D16
  EXPECT_EQ(s.at("undetermined").at("missing_facts").as_array().at(0).at("fact"), "image.blur");
  const auto& activations = s.at("activations").as_array();
  ASSERT_EQ(activations.size(), 1u);
  EXPECT_EQ(activations[0].at("by"), "ann");
  EXPECT_EQ(activations[0].at("version"), "v2");
  // Hour buckets: the hours that start in the range.
  auto hours = boost::json::parse(
      get("/v1/stats?from=2026-11-01T12:30:00Z&to=2026-11-01T15:00:00Z&bucket=hour").body);
  EXPECT_EQ(hours.at("total"), 2);  // 13:00 and 14:00
  // And it says so: the hours counted, not the times asked for (stop 47's open point).
  EXPECT_EQ(boost::json::serialize(hours.at("counted")),
            R"({"from":"2026-11-01T13:00:00Z","to":"2026-11-01T15:00:00Z"})");
  auto late =
      boost::json::parse(get("/v1/stats?from=2026-11-01T23:00:01Z&to=2026-11-02&bucket=hour").body);
  EXPECT_EQ(boost::json::serialize(late.at("counted")),
            R"({"from":"2026-11-02T00:00:00Z","to":"2026-11-02T00:00:00Z"})");
}

TEST_F(SearchRoutes, PersonalDataIsNeverCachedAndNoAnswerIsSniffed) {
  for (const char* target : {"/v1/verifications", "/v1/stats", "/v1/verifications/D1",
                             "/v1/accounts/acct-1/verifications", "/v1/verifications?limit=0"})
    EXPECT_EQ(header(get(target), "Cache-Control"), "no-store") << target;
  EXPECT_EQ(header(get("/v1/policies"), "Cache-Control"), "");
  EXPECT_EQ(header(get("/healthz"), "Cache-Control"), "");
}

}  // namespace

TEST_F(SearchRoutes, CsvExportHoldsTheWholeSearchWithFactsAndGuardedCells) {
  auto r = get("/v1/verifications?account_id=acct-1&format=csv&limit=2");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "text/csv; charset=utf-8");
  EXPECT_NE(header(r, "Content-Disposition").find("attachment"), std::string::npos);
  EXPECT_EQ(header(r, "Cache-Control"), "no-store");
  std::vector<std::string> lines;
  for (size_t at = 0, end; (end = r.body.find('\n', at)) != std::string::npos; at = end + 1)
    lines.push_back(r.body.substr(at, end - at));
  // The header, then all ten of acct-1's decisions (the page limit does not cut an export).
  ASSERT_EQ(lines.size(), 11u) << r.body;
  EXPECT_EQ(lines[0].rfind("decision_id,evaluated_at,account_id,outcome,reason_codes", 0), 0u);
  EXPECT_EQ(
      lines[1].rfind("D28,2026-11-03T18:00:00.000Z,acct-1,approve,,v1," + kPolicySha + ",", 0), 0u)
      << lines[1];
  EXPECT_NE(lines[1].find("Jane Doe"), std::string::npos);  // the facts, as recorded
  EXPECT_EQ(lines[2].rfind("D25,", 0), 0u);
  EXPECT_NE(lines[2].find(",reject,DOC_EXPIRED,"), std::string::npos) << lines[2];
}

TEST_F(SearchRoutes, CsvExportRefusesMoreThanItsLimitRatherThanCutIt) {
  options_.limits.export_rows = 5;
  auto r = get("/v1/verifications?format=csv");
  EXPECT_EQ(r.status, 413) << r.body;
  EXPECT_NE(r.body.find("more than 5 decisions"), std::string::npos) << r.body;
  EXPECT_EQ(get("/v1/verifications?format=csv&account_id=acct-2&from=2026-11-03").status, 200);
  EXPECT_EQ(get("/v1/verifications?format=xml").status, 400);
}

TEST_F(SearchRoutes, ChainCheckRunsInTheBackgroundAndNamesTheFirstBrokenRecord) {
  EXPECT_EQ(boost::json::parse(get("/v1/audit/verify").body).at("state"), "idle");
  auto started = get("/v1/audit/verify", "POST");
  EXPECT_TRUE(started.status == 202 || started.status == 200) << started.body;
  auto done = wait_for_check();
  ASSERT_FALSE(done.empty()) << "the check did not finish";
  EXPECT_EQ(done.at("ok"), true);
  EXPECT_EQ(done.at("records"), 30);
  EXPECT_EQ(done.at("checked"), 30);

  auto edited = **store_.get("D7");
  edited.record.facts = R"({"primary.name":"Someone Else"})";
  store_.overwrite(edited);
  get("/v1/audit/verify", "POST");
  done = wait_for_check();
  ASSERT_FALSE(done.empty());
  EXPECT_EQ(done.at("ok"), false);
  EXPECT_EQ(done.at("broken").at("seq"), 8);
  EXPECT_EQ(done.at("broken").at("decision_id"), "D7");
  EXPECT_NE(std::string(done.at("broken").at("problem").as_string()).find("edited"),
            std::string::npos);
}
