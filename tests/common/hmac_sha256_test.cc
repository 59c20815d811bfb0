// HMAC-SHA-256 keyed once and used many times gives RFC 4231's answers, call after call.
#include <gtest/gtest.h>

#include "common/hmac_sha256.h"

using kyc::common::HmacSha256;

TEST(HmacSha256, Rfc4231TestCases) {
  // Test case 2: key "Jefe", data "what do ya want for nothing?".
  auto jefe = HmacSha256::with_key("Jefe");
  ASSERT_TRUE(jefe);
  const std::string expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
  EXPECT_EQ(jefe->hex({"what do ya want for nothing?"}), expected);
  EXPECT_EQ(jefe->hex({"what do ya ", "want for nothing?"}), expected);  // parts are concatenated
  EXPECT_EQ(jefe->hex({"what do ya want for nothing?"}), expected);     // the keyed state is kept
  // Test case 6: a 131-byte key (longer than the block, so hashed first).
  auto long_key = HmacSha256::with_key(std::string(131, '\xaa'));
  ASSERT_TRUE(long_key);
  EXPECT_EQ(long_key->hex({"Test Using Larger Than Block-Size Key - Hash Key First"}),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}
