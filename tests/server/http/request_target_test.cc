// The request target as RFC 3986 reads it: decoded once, strictly.
#include "server/http/request_target.h"

#include <gtest/gtest.h>

using kyc::server::parse_target;
using kyc::server::whole_number;

TEST(RequestTarget, SegmentsAndParametersAreDecodedOnce) {
  auto t = parse_target("/v1/accounts/a%40b.example/verifications?after=3&access%5Ftoken=x&flag");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->segments,
            (std::vector<std::string>{"v1", "accounts", "a@b.example", "verifications"}));
  EXPECT_EQ(t->param("after"), "3");
  EXPECT_EQ(t->param("access_token"), "x");  // what the token rule must see
  EXPECT_EQ(t->param("flag"), "");
  EXPECT_FALSE(t->param("limit"));
  // An encoded '/' stays inside its segment: ids may hold any character.
  auto slash = parse_target("/v1/accounts/a%2Fb/verifications");
  ASSERT_TRUE(slash);
  EXPECT_EQ(slash->segments.at(2), "a/b");
  // "%2541" is "%41" after one decoding, not "A".
  EXPECT_EQ(parse_target("/x?k=%2541")->param("k"), "%41");
}

TEST(RequestTarget, AnEmptyQueryOrAnEmptyPairIsNoParameter) {
  // `GET /v1/stats?` was a 400 "unknown parameter """.
  EXPECT_TRUE(parse_target("/v1/stats?")->query.empty());
  auto t = parse_target("/v1/stats?&from=2026-12-01&&to=2026-12-02&");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->query.size(), 2u);
  EXPECT_EQ(t->param("to"), "2026-12-02");
  // `=x` is an empty name with a value: a parameter, refused by the route as unknown.
  EXPECT_EQ(parse_target("/v1/stats?=x")->query.size(), 1u);
}

TEST(RequestTarget, WhatIsNotAnOriginFormIsRefused) {
  for (const char* bad : {"/x%zz", "/x%4", "no-slash", "/a b", "http://h/x", "/x\x01"})
    EXPECT_FALSE(parse_target(bad)) << bad;
  EXPECT_TRUE(parse_target("/"));
}

TEST(RequestTarget, WholeNumbersAreStrict) {
  EXPECT_EQ(whole_number("12", 0, 100), 12);
  for (const char* bad : {"12abc", "", " 12", "+12", "1e3", "0x10", "99999999999999999999"})
    EXPECT_FALSE(whole_number(bad, 0, INT64_MAX)) << bad;
  EXPECT_FALSE(whole_number("-1", 0, 100));
  EXPECT_FALSE(whole_number("70000", 0, 65535));  // a port
}

TEST(RequestTarget, EscapesThatDecodeToBytesThatAreNotUtf8AreRefused) {
  // An id or a value reaches JSON answers and the records: "%FF" would make them unparsable.
  for (const char* bad :
       {"/v1/accounts/%FF/verifications", "/x?from=%C3", "/x?%FE=1", "/x/%ED%A0%80"})
    EXPECT_FALSE(parse_target(bad)) << bad;
  auto ok = parse_target("/v1/accounts/Zo%C3%AB?note=%E2%82%AC");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->segments.at(2), "Zo\xc3\xab");
  EXPECT_EQ(ok->param("note"), "\xe2\x82\xac");
}
