#include "service/account_id.h"

#include <gtest/gtest.h>

#include <string>

using kyc::service::check_account_id;

TEST(AccountId, TheIdsBackendsUseAreAccepted) {
  for (std::string id : {"42", "acct-42", "0b8f7a4e-3c1d-4e7a-9b2f-6a1c5d8e9f00",
                         "jean.dupont+kyc@example.fr", "Zoë Ørsted", "a b", "x"})
    EXPECT_TRUE(check_account_id(id, 256)) << id;
  EXPECT_TRUE(check_account_id(std::string(256, 'a'), 256));
}

TEST(AccountId, OneByteOverTheLimitIsRefusedWithBothSizes) {
  auto r = check_account_id(std::string(257, 'a'), 256);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "the account id is 257 bytes long; at most 256 are accepted");
  // Counted in bytes: four two-byte letters are eight.
  EXPECT_FALSE(check_account_id("ëëëë", 7));
}

TEST(AccountId, AControlCharacterIsNamedWithItsPlace) {
  auto nul = check_account_id(std::string("ab\0c", 4), 256);
  ASSERT_FALSE(nul);
  EXPECT_EQ(nul.error().message,
            "the account id holds a control character (U+0000) at byte 2; an id is printable text");
  for (std::string id : {"a\nb", "a\rb", "\tab", "ab\x1f", "ab\x7f"})
    EXPECT_FALSE(check_account_id(id, 256)) << id;
  auto del = check_account_id("ab\x7f", 256);
  ASSERT_FALSE(del);
  EXPECT_NE(del.error().message.find("(U+007F) at byte 2"), std::string::npos);
}

TEST(AccountId, BytesThatAreNotUtf8AreNamedWithTheirPlace) {
  // A percent-escape or an imported file can carry them; JSON requests cannot.
  auto stray = check_account_id("acct-\xff\xfe", 256);
  ASSERT_FALSE(stray);
  EXPECT_EQ(stray.error().message,
            "the account id is not UTF-8 text (byte 5 begins no character); an id is printable "
            "text");
  for (std::string id : {"\xc3", "a\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80"})
    EXPECT_FALSE(check_account_id(id, 256)) << id;
}
