// The master key wraps a data key for one account: the wrapped key opens only under that
// master key and for that account, and a wrong master key is named in the error. Its key file
// is made once, 0600, and must hold exactly 32 bytes.
#include "store/master_key.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "common/sha256.h"
#include "tests/temp_dir.h"

using kyc::common::SecretKey;
using kyc::store::FileMasterKey;

namespace {

std::shared_ptr<FileMasterKey> master_of(char c) {
  return *FileMasterKey::from_bytes(std::string(32, c));
}

}  // namespace

TEST(MasterKey, AWrappedKeyUnwrapsOnlyWithItsMasterKeyAndAccount) {
  auto master = master_of('m');
  auto other = master_of('n');
  auto data_key = SecretKey::random();
  ASSERT_TRUE(data_key);
  auto wrapped = master->wrap(*data_key, "acct-1");
  ASSERT_TRUE(wrapped) << wrapped.error().message;
  EXPECT_EQ(wrapped->master_key_id, master->key_id());
  EXPECT_EQ(wrapped->bytes.find(std::string(data_key->bytes())), std::string::npos);

  auto back = master->unwrap(*wrapped, "acct-1");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->bytes(), data_key->bytes());

  auto wrong_master = other->unwrap(*wrapped, "acct-1");
  ASSERT_FALSE(wrong_master);
  EXPECT_NE(wrong_master.error().message.find(master->key_id()), std::string::npos)
      << wrong_master.error().message;
  EXPECT_NE(wrong_master.error().message.find(other->key_id()), std::string::npos);
  // The same bytes relabelled with the other key's id still do not open.
  auto relabelled = *wrapped;
  relabelled.master_key_id = other->key_id();
  EXPECT_FALSE(other->unwrap(relabelled, "acct-1"));

  auto wrong_account = master->unwrap(*wrapped, "acct-2");
  ASSERT_FALSE(wrong_account);
  EXPECT_NE(wrong_account.error().message.find("acct-2"), std::string::npos);
}

TEST(MasterKey, TheIdIsTheStartOfTheKeysSha256) {
  EXPECT_EQ(master_of('m')->key_id(), kyc::common::sha256_hex(std::string(32, 'm')).substr(0, 16));
  EXPECT_NE(master_of('m')->key_id(), master_of('n')->key_id());
}

TEST(MasterKey, KeyFileIsCreatedOnceWithMode0600AndMustHold32Bytes) {
  namespace fs = std::filesystem;
  kyc::test_support::TempDir dir("kycd-masterkey");
  std::string path = kyc::store::default_master_key_path(dir.path.string());
  EXPECT_EQ(fs::path(path).filename(), "master.key");
  EXPECT_FALSE(FileMasterKey::load(path));  // never made up when reading
  auto made = FileMasterKey::load_or_create(path);
  ASSERT_TRUE(made) << made.error().message;
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(fs::file_size(path), 32u);
  auto again = FileMasterKey::load(path);
  ASSERT_TRUE(again);
  EXPECT_EQ((*again)->key_id(), (*made)->key_id());
  { std::ofstream(path, std::ios::trunc) << std::string(64, 'a'); }  // hex text, not raw bytes
  auto too_long = FileMasterKey::load(path);
  ASSERT_FALSE(too_long);
  EXPECT_NE(too_long.error().message.find("32 bytes"), std::string::npos);
}
