#include "server/http/wire_response.h"

#include <gtest/gtest.h>

using kyc::server::HttpResponse;
using kyc::server::wire_response;

TEST(WireResponse, StatusLineHeadersLengthAndBody) {
  HttpResponse r{503, "application/problem+json", "{\"x\":1}", {{"Retry-After", "1"}}, {}};
  EXPECT_EQ(wire_response(r, true, 11, "req-7"),
            "HTTP/1.1 503 Service Unavailable\r\nServer: kycd\r\n"
            "Content-Type: application/problem+json\r\nX-Content-Type-Options: nosniff\r\n"
            "X-Request-Id: req-7\r\nRetry-After: 1\r\n"
            "Content-Length: 7\r\n\r\n{\"x\":1}");
}

TEST(WireResponse, ConnectionHeaderFollowsTheVersion) {
  HttpResponse r{200, "text/plain", "ok", {}, {}};
  EXPECT_NE(wire_response(r, false, 11, "r").find("\r\nConnection: close\r\n"), std::string::npos);
  EXPECT_EQ(wire_response(r, true, 11, "r").find("Connection:"), std::string::npos);
  std::string old = wire_response(r, true, 10, "r");
  EXPECT_EQ(old.rfind("HTTP/1.0 200 OK\r\n", 0), 0u);
  EXPECT_NE(old.find("\r\nConnection: keep-alive\r\n"), std::string::npos);
  EXPECT_EQ(wire_response(r, false, 10, "r").find("Connection:"), std::string::npos);
}

TEST(WireResponse, HeaderValuesThatWouldSplitTheResponseAreDropped) {
  HttpResponse r{
      200, "text/plain", "ok", {{"X-Evil", "a\r\nSet-Cookie: x=1"}, {"X-Fine", "b"}}, {}};
  std::string wire = wire_response(r, true, 11, "r");
  EXPECT_EQ(wire.find("Set-Cookie"), std::string::npos);
  EXPECT_NE(wire.find("\r\nX-Fine: b\r\n"), std::string::npos);
}

TEST(WireResponse, NoContentHasNoBodyAndNoLength) {
  HttpResponse r{204, "text/plain", "ignored", {}, {}};
  std::string wire = wire_response(r, true, 11, "r");
  EXPECT_EQ(wire.find("Content-Length"), std::string::npos);
  EXPECT_EQ(wire.substr(wire.size() - 4), "\r\n\r\n");
}

TEST(WireResponse, ABodyMadeWhileSentIsChunkedOrEndedByTheClose) {
  HttpResponse r{200, "text/csv", "", {}, std::make_shared<kyc::server::BodyStream>(nullptr)};
  std::string head = kyc::server::wire_head(r, true, 11, "r");
  EXPECT_NE(head.find("\r\nTransfer-Encoding: chunked\r\n"), std::string::npos) << head;
  EXPECT_EQ(head.find("Content-Length"), std::string::npos) << head;
  std::string old = kyc::server::wire_head(r, false, 10, "r");
  EXPECT_EQ(old.find("Transfer-Encoding"), std::string::npos) << old;
  EXPECT_EQ(old.find("Content-Length"), std::string::npos) << old;
}
