// The per-account data keys in memory follow the rules every store follows: made once and
// stable, erased for good (and told apart from never made), re-wrapped all or none.
#include "store/memory/account_keys.h"

#include <gtest/gtest.h>

using kyc::store::DataKeyLookup;
using kyc::store::Erasure;
using kyc::store::FileMasterKey;
using kyc::store::memory::MemoryAccountKeys;

namespace {

std::shared_ptr<FileMasterKey> master_of(char c) {
  return *FileMasterKey::from_bytes(std::string(32, c));
}

}  // namespace

TEST(MemoryAccountKeys, MadeOnceErasedForGoodRewrappedAllOrNone) {
  MemoryAccountKeys keys(master_of('m'));
  auto first = keys.data_key("acct-1", "2026-12-05T00:00:00Z");
  ASSERT_TRUE(first) << first.error().message;
  auto second = keys.data_key("acct-1", "2026-12-05T00:00:01Z");
  ASSERT_TRUE(second);
  EXPECT_EQ(first->bytes(), second->bytes());
  EXPECT_EQ(keys.find_data_key("acct-2")->state, DataKeyLookup::State::never_created);

  ASSERT_TRUE(keys.data_key("acct-2", "t"));
  auto count = keys.rewrap_all(master_of('n'));
  ASSERT_TRUE(count) << count.error().message;
  EXPECT_EQ(*count, 2u);
  EXPECT_EQ(keys.find_data_key("acct-1")->key->bytes(), first->bytes());
  EXPECT_FALSE(keys.rewrap_all(master_of('n')));  // the same key again

  auto erased = keys.erase("acct-1", "2026-12-06T00:00:00Z");
  ASSERT_TRUE(erased);
  EXPECT_EQ(erased->outcome, Erasure::Outcome::key_destroyed);
  auto lookup = keys.find_data_key("acct-1");
  ASSERT_TRUE(lookup);
  EXPECT_EQ(lookup->state, DataKeyLookup::State::erased);
  EXPECT_EQ(lookup->erased_at, "2026-12-06T00:00:00Z");
  EXPECT_FALSE(keys.data_key("acct-1", "t"));
  EXPECT_EQ(keys.erase("acct-1", "t")->outcome, Erasure::Outcome::already_erased);
  EXPECT_EQ(keys.erase("acct-9", "t")->outcome, Erasure::Outcome::no_key_held);
}
