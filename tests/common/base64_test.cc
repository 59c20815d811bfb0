// Base64 as sealed values use it inside JSON: RFC 4648's vectors both ways, any bytes back
// whole, and anything that is not padded base64 refused with an error.
#include "common/base64.h"

#include <gtest/gtest.h>

using kyc::common::base64_decode;
using kyc::common::base64_encode;

TEST(Base64, Rfc4648VectorsBothWays) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},        {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
  for (auto [plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(plain), encoded);
    auto decoded = base64_decode(encoded);
    ASSERT_TRUE(decoded) << encoded;
    EXPECT_EQ(*decoded, plain);
  }
}

TEST(Base64, AnyBytesComeBackWhole) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  for (size_t n = 0; n <= bytes.size(); n += 37) {
    auto back = base64_decode(base64_encode(bytes.substr(0, n)));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, bytes.substr(0, n));
  }
}

TEST(Base64, WhatIsNotPaddedBase64IsRefused) {
  for (const char* bad : {"Zg", "Zg=", "Z===x", " Zm9v", "Zm9v\n", "Zm-v", "Z===", "=Zm9", "Zm=v"})
    EXPECT_FALSE(base64_decode(bad)) << bad;
}
