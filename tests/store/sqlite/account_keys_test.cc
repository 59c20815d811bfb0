// The per-account data keys in SQLite on a real disk: a key made once and stable across
// reopening; erasure that leaves neither the wrapped key nor the data key anywhere in the
// database's files (searched byte for byte, like `strings` would) and is told apart from
// "never had a key"; rotation to a new master key, all or none.
#include "store/sqlite/account_keys.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <vector>

#include "common/aead.h"
#include "store/sqlite/open.h"
#include "tests/temp_dir.h"

namespace fs = std::filesystem;
using kyc::common::HmacSha256;
using kyc::store::DataKeyLookup;
using kyc::store::Erasure;
using kyc::store::FileMasterKey;
using kyc::store::WrappedKey;
using kyc::store::sqlite::SqliteAccountKeys;
using kyc::test_support::TempDir;

namespace {

std::shared_ptr<FileMasterKey> master_of(char c) {
  return *FileMasterKey::from_bytes(std::string(32, c));
}

std::unique_ptr<SqliteAccountKeys> open_keys(const TempDir& dir, char master) {
  auto keys = SqliteAccountKeys::open(
      kyc::store::sqlite::database_path(dir.path.string()), master_of(master),
      *HmacSha256::with_key(std::string(32, 'd')), std::chrono::milliseconds(1000));
  EXPECT_TRUE(keys) << keys.error().message;
  return std::move(*keys);
}

WrappedKey stored_row(const TempDir& dir, const std::string& account_id) {
  SQLite::Database db(kyc::store::sqlite::database_path(dir.path.string()), SQLite::OPEN_READONLY);
  SQLite::Statement q(db, "SELECT master_key_id, wrapped FROM account_keys WHERE account_id = ?");
  q.bind(1, account_id);
  if (!q.executeStep()) return {};
  return WrappedKey{q.getColumn(0).getString(), q.getColumn(1).getString()};
}

// Every byte of every file in the folder (audit.db, its WAL and shared-memory index).
std::string folder_bytes(const TempDir& dir) {
  std::string all;
  for (const auto& entry : fs::directory_iterator(dir.path)) {
    std::ifstream in(entry.path(), std::ios::binary);
    all.append(std::istreambuf_iterator<char>(in), {});
  }
  return all;
}

bool holds(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST(SqliteAccountKeys, ADataKeyIsMadeOnceAndStaysTheSame) {
  TempDir dir("kycd-keys");
  std::string first;
  {
    auto keys = open_keys(dir, 'm');
    auto lookup = keys->find_data_key("acct-1");
    ASSERT_TRUE(lookup);
    EXPECT_EQ(lookup->state, DataKeyLookup::State::never_created);  // reading makes none
    auto made = keys->data_key("acct-1", "2026-12-05T10:00:00Z");
    ASSERT_TRUE(made) << made.error().message;
    first = std::string(made->bytes());
    EXPECT_EQ(keys->data_key("acct-1", "later")->bytes(), first);
    EXPECT_NE(keys->data_key("acct-2", "later")->bytes(), first);  // one key per account
  }
  auto reopened = open_keys(dir, 'm');
  auto lookup = reopened->find_data_key("acct-1");
  ASSERT_TRUE(lookup);
  ASSERT_EQ(lookup->state, DataKeyLookup::State::present);
  EXPECT_EQ(lookup->key->bytes(), first);
  EXPECT_EQ(stored_row(dir, "acct-1").master_key_id, master_of('m')->key_id());
  EXPECT_FALSE(holds(folder_bytes(dir), first));  // only ever stored wrapped
}

TEST(SqliteAccountKeys, AnotherMasterKeyIsNamedAndMakesNothing) {
  TempDir dir("kycd-keys");
  ASSERT_TRUE(open_keys(dir, 'm')->data_key("acct-1", "t"));
  auto wrong = open_keys(dir, 'x');
  auto key = wrong->data_key("acct-1", "t");
  ASSERT_FALSE(key);
  EXPECT_NE(key.error().message.find(master_of('m')->key_id()), std::string::npos)
      << key.error().message;
  EXPECT_FALSE(wrong->find_data_key("acct-1"));
}

TEST(SqliteAccountKeys, AWrappedKeyMovedToAnotherAccountDoesNotOpen) {
  TempDir dir("kycd-keys");
  auto keys = open_keys(dir, 'm');
  ASSERT_TRUE(keys->data_key("a1", "t"));
  ASSERT_TRUE(keys->data_key("a2", "t"));
  {
    SQLite::Database db(kyc::store::sqlite::database_path(dir.path.string()),
                        SQLite::OPEN_READWRITE);
    db.exec(
        "UPDATE account_keys SET wrapped = (SELECT wrapped FROM account_keys WHERE account_id = "
        "'a2') WHERE account_id = 'a1'");
  }
  auto moved = keys->find_data_key("a1");
  ASSERT_FALSE(moved);
  EXPECT_NE(moved.error().message.find("a1"), std::string::npos) << moved.error().message;
  EXPECT_FALSE(keys->data_key("a1", "t"));  // and no new key is made over it
  EXPECT_TRUE(keys->find_data_key("a2"));
}

TEST(SqliteAccountKeys, ErasureDestroysTheKeyAndLeavesNoCopyInTheFiles) {
  TempDir dir("kycd-keys");
  const std::string account = "acct-erase-me-4711";
  auto keys = open_keys(dir, 'm');
  auto data_key = keys->data_key(account, "2026-12-05T10:00:00Z");
  ASSERT_TRUE(data_key);
  ASSERT_TRUE(keys->data_key("acct-kept", "2026-12-05T10:00:00Z"));
  WrappedKey wrapped = stored_row(dir, account);
  ASSERT_EQ(wrapped.bytes.size(), 32 + kyc::common::aead::kOverheadBytes);
  // The search can find what it looks for: before the erasure the wrapped key is there.
  ASSERT_TRUE(holds(folder_bytes(dir), wrapped.bytes));
  ASSERT_TRUE(holds(folder_bytes(dir), account));

  auto erasure = keys->erase(account, "2026-12-06T09:00:00Z");
  ASSERT_TRUE(erasure) << erasure.error().message;
  EXPECT_EQ(erasure->outcome, Erasure::Outcome::key_destroyed);
  EXPECT_TRUE(erasure->storage_scrubbed);

  std::string files = folder_bytes(dir);
  EXPECT_FALSE(holds(files, wrapped.bytes));
  EXPECT_FALSE(holds(files, wrapped.bytes.substr(1, 12)));  // not even its nonce
  EXPECT_FALSE(holds(files, data_key->bytes()));
  EXPECT_FALSE(holds(files, account));  // remembered by a keyed digest only
  EXPECT_EQ(fs::file_size(dir.path / "audit.db-wal"), 0u);

  auto lookup = keys->find_data_key(account);
  ASSERT_TRUE(lookup);
  EXPECT_EQ(lookup->state, DataKeyLookup::State::erased);
  EXPECT_EQ(lookup->erased_at, "2026-12-06T09:00:00Z");
  auto again = keys->data_key(account, "2026-12-07T00:00:00Z");
  ASSERT_FALSE(again);  // no new key made behind the erasure
  EXPECT_NE(again.error().message.find("erased at 2026-12-06T09:00:00Z"), std::string::npos)
      << again.error().message;
  EXPECT_EQ(keys->erase(account, "later")->outcome, Erasure::Outcome::already_erased);
  EXPECT_EQ(keys->find_data_key("acct-kept")->state, DataKeyLookup::State::present);

  auto reopened = open_keys(dir, 'm');  // remembered on disk
  EXPECT_EQ(reopened->find_data_key(account)->state, DataKeyLookup::State::erased);
  EXPECT_EQ(reopened->find_data_key("never-seen")->state, DataKeyLookup::State::never_created);
  auto unheld = reopened->erase("never-seen", "2026-12-06T10:00:00Z");
  ASSERT_TRUE(unheld);
  EXPECT_EQ(unheld->outcome, Erasure::Outcome::no_key_held);
  EXPECT_EQ(reopened->find_data_key("never-seen")->state, DataKeyLookup::State::erased);
}

TEST(SqliteAccountKeys, RotationRewrapsEveryKeyUnderTheNewMasterKeyOnly) {
  TempDir dir("kycd-keys");
  std::map<std::string, std::string> before;
  std::vector<std::string> old_wrapped;
  {
    auto keys = open_keys(dir, 'm');
    for (std::string account : {"a1", "a2", "a3"}) {
      before[account] = std::string(keys->data_key(account, "t")->bytes());
      old_wrapped.push_back(stored_row(dir, account).bytes);
    }
    auto count = keys->rewrap_all(master_of('n'));
    ASSERT_TRUE(count) << count.error().message;
    EXPECT_EQ(*count, 3u);
    EXPECT_EQ(keys->data_key("a1", "t")->bytes(), before["a1"]);  // the store moved on to n
    EXPECT_FALSE(keys->rewrap_all(master_of('n')));
  }
  auto with_new = open_keys(dir, 'n');
  auto with_old = open_keys(dir, 'm');
  for (const auto& [account, bytes] : before) {
    EXPECT_EQ(stored_row(dir, account).master_key_id, master_of('n')->key_id());
    auto lookup = with_new->find_data_key(account);
    ASSERT_TRUE(lookup) << lookup.error().message;
    EXPECT_EQ(lookup->key->bytes(), bytes);
    auto old = with_old->find_data_key(account);
    ASSERT_FALSE(old);
    EXPECT_NE(old.error().message.find(master_of('n')->key_id()), std::string::npos);
  }
  std::string files = folder_bytes(dir);
  for (const std::string& wrapped : old_wrapped) EXPECT_FALSE(holds(files, wrapped));
}

TEST(SqliteAccountKeys, RotationChangesNothingWhenOneKeyDoesNotUnwrap) {
  TempDir dir("kycd-keys");
  ASSERT_TRUE(open_keys(dir, 'm')->data_key("a1", "t"));
  ASSERT_TRUE(open_keys(dir, 'x')->data_key("a2", "t"));  // wrapped by a stray master key
  WrappedKey a1 = stored_row(dir, "a1");
  auto keys = open_keys(dir, 'm');
  auto count = keys->rewrap_all(master_of('n'));
  ASSERT_FALSE(count);
  EXPECT_NE(count.error().message.find("nothing was re-wrapped"), std::string::npos)
      << count.error().message;
  EXPECT_EQ(stored_row(dir, "a1").bytes, a1.bytes);
  EXPECT_EQ(stored_row(dir, "a1").master_key_id, master_of('m')->key_id());
  EXPECT_TRUE(keys->find_data_key("a1"));  // still under m
}
