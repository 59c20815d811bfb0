// The chain key and the keyed link: HMAC-SHA-256 as RFC 4231 defines it, a key id that names
// the key without revealing it, and a link that changes with the key, the previous link, the
// record and the rows it states.
#include "store/chain_key.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "common/sha256.h"
#include "store/chain.h"

using kyc::store::AuditRecord;
using kyc::store::ChainKey;

TEST(ChainKey, HmacSha256KnownAnswer) {
  // RFC 4231, test case 2.
  ChainKey key = ChainKey::from_bytes("Jefe");
  EXPECT_EQ(key.mac_hex({"what do ya ", "want for nothing?"}),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(ChainKey, TheIdIsTheStartOfTheKeysSha256) {
  ChainKey key = ChainKey::from_bytes(std::string(32, 'k'));
  EXPECT_EQ(key.id(), kyc::common::sha256_hex(std::string(32, 'k')).substr(0, 16));
}

TEST(ChainKey, CreatedOnceWithMode0600AndReadBack) {
  namespace fs = std::filesystem;
  char tmpl[] = "/tmp/kycd-chainkey-XXXXXX";
  fs::path dir = mkdtemp(tmpl);
  std::string path = (dir / "chain.key").string();
  EXPECT_FALSE(ChainKey::load(path));  // verify never makes one up
  auto made = ChainKey::load_or_create(path);
  ASSERT_TRUE(made) << made.error().message;
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(fs::file_size(path), 32u);
  auto again = ChainKey::load_or_create(path);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id(), made->id());
  { std::ofstream(path, std::ios::trunc) << "short"; }
  EXPECT_FALSE(ChainKey::load(path));
  fs::remove_all(dir);
}

TEST(KeyedLink, DependsOnTheKeyThePreviousLinkTheRecordAndItsRows) {
  ChainKey key = ChainKey::from_bytes(std::string(32, 'a'));
  ChainKey other = ChainKey::from_bytes(std::string(32, 'b'));
  AuditRecord r;
  r.decision_id = "D1";
  r.facts = "{}";
  r.decision = "{}";
  std::string prev = kyc::store::kGenesisHash;
  std::string link = kyc::store::keyed_link(key, prev, 1, r);
  EXPECT_EQ(link.size(), 64u);
  EXPECT_EQ(link, kyc::store::keyed_link(key, prev, 1, r));
  // Not what plain SHA-256 gives: without the key nobody recomputes it.
  EXPECT_NE(link, kyc::store::chain_hash(prev, kyc::store::canonical_bytes(1, r)));
  EXPECT_NE(link, kyc::store::keyed_link(other, prev, 1, r));
  EXPECT_NE(link, kyc::store::keyed_link(key, std::string(64, '1'), 1, r));
  EXPECT_NE(link, kyc::store::keyed_link(key, prev, 2, r));
  AuditRecord edited = r;
  edited.facts = "{\"x\":1}";
  EXPECT_NE(link, kyc::store::keyed_link(key, prev, 1, edited));
  AuditRecord with_rows = r;
  with_rows.effects = kyc::store::effects_json({{"attempts", "acct-1", "ab"}});
  EXPECT_NE(link, kyc::store::keyed_link(key, prev, 1, with_rows));
}

TEST(KeyedLink, EffectsReadBackAsWritten) {
  std::vector<kyc::store::RowState> rows = {{"attempts", "a \"b\"", "00"},
                                            {"document_links", "ff acct", ""}};
  auto parsed = kyc::store::parse_effects(kyc::store::effects_json(rows));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, rows);
  EXPECT_TRUE(kyc::store::parse_effects("")->empty());
  EXPECT_FALSE(kyc::store::parse_effects("[[1,2,3]]"));
}
