#include "server/http/bearer_token.h"

#include <gtest/gtest.h>

using kyc::server::bearer_token;

TEST(BearerToken, TheSchemeIsCaseInsensitiveAndSpacesAroundTheTokenAreNotPartOfIt) {
  // Lower-case `bearer` was answered 401 "unknown token" and counted as a bad token.
  for (std::string_view header :
       {"Bearer abc.123", "bearer abc.123", "BEARER abc.123", "Bearer  abc.123", "Bearer abc.123 "})
    EXPECT_EQ(bearer_token(header).value_or("(none)"), "abc.123") << header;
}

TEST(BearerToken, AnotherSchemeOrNoTokenIsNone) {
  for (std::string_view header :
       {"", "Bearer", "Bearer ", "Bearer    ", "Basic YWxhZGRpbjpvcGVuc2VzYW1l", "Bearerabc",
        "Token abc", "Bearer\tabc"})
    EXPECT_FALSE(bearer_token(header).has_value()) << header;
}
