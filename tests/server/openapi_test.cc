#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "server/api.h"

using namespace kyc::server;

namespace {
HttpResponse call(Api& api, HttpRequest request) {
  auto ex = std::make_shared<Exchange>();
  ex->request = std::move(request);
  HttpResponse out;
  ex->reply = [&out](HttpResponse r, const RequestNotes&) { out = std::move(r); };
  api.handle(ex);
  return out;
}
}  // namespace

TEST(OpenApi, EveryRouteTheRouterKnowsIsDocumented) {
  ServeOptions options;
  Metrics metrics;
  PolicyStore policies("/nonexistent", "kyc.policy");
  Api api(options, policies, metrics, nullptr);
  auto r = call(api, {"GET", "/openapi.json", {}, "", "", "", {}, "", ""});
  ASSERT_EQ(r.status, 200);
  auto doc = boost::json::parse(r.body).as_object();
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  const auto& paths = doc.at("paths").as_object();
  ASSERT_FALSE(Api::routes().empty());
  for (const auto& route : Api::routes()) {
    ASSERT_TRUE(paths.contains(route.path)) << route.path;
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto& op = paths.at(route.path).as_object();
    ASSERT_TRUE(op.contains(method)) << route.method << " " << route.path;
    EXPECT_TRUE(op.at(method).as_object().contains("responses"));
    EXPECT_EQ(op.at(method).as_object().contains("security"), route.roles != 0) << route.path;
  }
  // And nothing is documented that the router does not serve, path or method.
  for (const auto& [path, ops] : paths) {
    for (const auto& [method, op] : ops.as_object()) {
      std::string upper(method);
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      bool served = false;
      for (const auto& route : Api::routes()) served |= route.path == path && route.method == upper;
      EXPECT_TRUE(served) << upper << " " << path;
      // Each operation can be named, grouped and tried.
      const auto& o = op.as_object();
      EXPECT_TRUE(o.contains("operationId")) << upper << " " << path;
      EXPECT_TRUE(o.contains("tags")) << upper << " " << path;
      EXPECT_NE(boost::json::serialize(o).find("\"example\""), std::string::npos)
          << upper << " " << path << " has no example";
    }
  }
  EXPECT_EQ(doc.at("info").as_object().at("version").as_string(), KYC_VERSION);
}

TEST(OpenApi, SchemaReferencesResolve) {
  ServeOptions options;
  Metrics metrics;
  PolicyStore policies("/nonexistent", "kyc.policy");
  Api api(options, policies, metrics, nullptr);
  std::string body = call(api, {"GET", "/openapi.json", {}, "", "", "", {}, "", ""}).body;
  auto schemas =
      boost::json::parse(body).as_object().at("components").as_object().at("schemas").as_object();
  for (size_t at = body.find("#/components/schemas/"); at != std::string::npos;
       at = body.find("#/components/schemas/", at + 1)) {
    size_t start = at + 21, end = body.find('"', start);
    EXPECT_TRUE(schemas.contains(body.substr(start, end - start)))
        << body.substr(start, end - start);
  }
  auto responses =
      boost::json::parse(body).as_object().at("components").as_object().at("responses").as_object();
  for (size_t at = body.find("#/components/responses/"); at != std::string::npos;
       at = body.find("#/components/responses/", at + 1)) {
    size_t start = at + 23, end = body.find('"', start);
    EXPECT_TRUE(responses.contains(body.substr(start, end - start)))
        << body.substr(start, end - start);
  }
}

// Every route but the probes can be throttled (server/abuse_limits.h): each says so, with the
// Retry-After header.
TEST(OpenApi, EveryRouteButTheProbesDocumentsTheRateLimit) {
  ServeOptions options;
  Metrics metrics;
  PolicyStore policies("/nonexistent", "kyc.policy");
  Api api(options, policies, metrics, nullptr);
  auto doc =
      boost::json::parse(call(api, {"GET", "/openapi.json", {}, "", "", "", {}, "", ""}).body)
          .as_object();
  const auto& paths = doc.at("paths").as_object();
  for (const auto& [path, ops] : paths)
    for (const auto& [method, op] : ops.as_object()) {
      bool probe = path == "/healthz" || path == "/readyz";
      EXPECT_EQ(op.at("responses").as_object().contains("429"), !probe) << method << " " << path;
    }
  const auto& problem = doc.at("components").at("responses").at("Problem429").as_object();
  EXPECT_TRUE(problem.at("headers").as_object().contains("Retry-After"));
}
