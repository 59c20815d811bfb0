#include "service/access_tokens.h"

#include <gtest/gtest.h>

#include "common/sha256.h"

using namespace kyc::service;

TEST(Tokens, ParseRolesAndComments) {
  auto store = TokenStore::parse(
      "# comment\nabcdefghijklmnop01 evaluate\n\nabcdefghijklmnop02 audit,admin  # inline\n");
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(store->size(), 2u);
  EXPECT_EQ(store->roles_of("abcdefghijklmnop01"), kEvaluate);
  EXPECT_EQ(store->roles_of("abcdefghijklmnop02"), kAudit | kAdmin);
  EXPECT_EQ(store->roles_of("abcdefghijklmnop0"), 0);
  EXPECT_EQ(store->roles_of(""), 0);
}

TEST(Tokens, ATokenHasItsNameOrItsHashesFirstDigits) {
  auto store = TokenStore::parse(
      "abcdefghijklmnop01 admin ops-alice@example.org\n"
      "abcdefghijklmnop02 audit\n");
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(store->identify("abcdefghijklmnop01").name, "ops-alice@example.org");
  EXPECT_EQ(store->identify("abcdefghijklmnop02").name,
            "sha256:" + kyc::common::sha256_hex("abcdefghijklmnop02").substr(0, 12));
  EXPECT_EQ(store->identify("abcdefghijklmnop03").roles, 0);
  EXPECT_EQ(store->identify("abcdefghijklmnop03").name, "");
}

// The rate limit's key for a token: its line's hash, the same after a reload, never the token.
TEST(Tokens, ATokensKeyIsItsHashNotTheToken) {
  auto store = TokenStore::parse("abcdefghijklmnop01 admin alice\nabcdefghijklmnop02 audit\n");
  ASSERT_TRUE(store) << store.error().message;
  auto alice = store->identify("abcdefghijklmnop01");
  EXPECT_EQ(alice.key, kyc::common::sha256_hex("abcdefghijklmnop01"));
  EXPECT_EQ(alice.key.find("abcdefghijklmnop01"), std::string::npos);
  EXPECT_NE(store->identify("abcdefghijklmnop02").key, alice.key);
  EXPECT_EQ(store->identify("abcdefghijklmnop03").key, "");
  auto again =
      TokenStore::parse("# reordered\nabcdefghijklmnop02 audit\nabcdefghijklmnop01 admin\n");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->identify("abcdefghijklmnop01").key, alice.key);
}

TEST(Tokens, MistakesNameTheLine) {
  auto error = [](std::string_view text) {
    auto store = TokenStore::parse(text);
    return store ? std::string("(no error)") : store.error().message;
  };
  EXPECT_EQ(error("abcdefghijklmnop01 evaluate\nabcdefghijklmnop02 superuser\n"),
            "line 2: unknown role 'superuser' (evaluate, audit, admin)");
  EXPECT_EQ(error("short evaluate\n"), "line 1: token shorter than 16 characters");
  EXPECT_EQ(error("abcdefghijklmnop01\n"), "line 1: expected `sha256:HASH ROLE[,ROLE...] [NAME]`");
  EXPECT_EQ(error("abcdefghijklmnop01 admin ops alice\n"),
            "line 1: expected `sha256:HASH ROLE[,ROLE...] [NAME]`");
  EXPECT_EQ(error("abcdefghijklmnop01 admin ops/alice\n"),
            "line 1: a token's name is up to 64 letters, digits and . _ @ -");
  EXPECT_EQ(error("sha256:abc evaluate\n"),
            "line 1: sha256: must be followed by 64 lower-case hex digits");
}

TEST(Tokens, TheFileHoldsHashesAndAClearLineIsReported) {
  std::string token = new_token();
  ASSERT_EQ(token.size(), 52u);
  std::string line = token_line(token, kEvaluate | kAudit);
  EXPECT_EQ(line.find(token), std::string::npos);
  EXPECT_EQ(line.rfind("sha256:", 0), 0u);
  auto store = TokenStore::parse(line + "\nabcdefghijklmnop01 admin\n");
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(store->roles_of(token), kEvaluate | kAudit);
  EXPECT_EQ(store->roles_of(token.substr(1)), 0);
  EXPECT_EQ(store->roles_of("abcdefghijklmnop01"), kAdmin);
  EXPECT_EQ(store->clear_lines(), std::vector<int>{2});
}
