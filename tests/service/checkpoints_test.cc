// Signed checkpoints: a checkpoint verifies with the public key and fails once any field is
// changed; a checkpoints file is read back as anchors for the chain check, and an edited line
// or one signed by another key is refused; the writer appends at start, every N records and
// on stop.
#include "service/checkpoints.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "store/memory/memory_store.h"
#include "tests/temp_dir.h"

namespace fs = std::filesystem;
using kyc::service::CheckpointKey;

namespace {

using kyc::test_support::TempDir;

void fill(kyc::store::memory::MemoryStore& store, int from, int to) {
  for (int i = from; i <= to; ++i) {
    kyc::store::AuditRecord r;
    r.decision_id = "D" + std::to_string(i);
    r.time = "2026-12-05T00:00:00Z";
    r.facts = "{}";
    r.decision = "{}";
    store.append(std::move(r), [](auto) {});
  }
}

std::vector<std::string> lines(const fs::path& file) {
  std::ifstream in(file);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

TEST(CheckpointKey, ACheckpointVerifiesAndATamperedOneDoesNot) {
  TempDir dir;
  auto key = CheckpointKey::load_or_create((dir.path / "checkpoint.key").string());
  ASSERT_TRUE(key) << key.error().message;
  struct stat st {};
  ASSERT_EQ(stat((dir.path / "checkpoint.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 077, 0u);
  auto pub = CheckpointKey::load_public((dir.path / "checkpoint.pub").string());
  ASSERT_TRUE(pub) << pub.error().message;
  EXPECT_EQ(pub->id(), key->id());
  EXPECT_EQ(key->id().size(), 16u);

  kyc::store::ChainHead head{42, std::string(64, 'c'), "2026-12-05T00:00:00Z"};
  auto c = kyc::service::sign_checkpoint(head, "2026-12-05T00:00:01Z", "0011223344556677", *key);
  EXPECT_EQ(c.signature.size(), 128u);
  EXPECT_TRUE(pub->verify(c.signed_bytes(), c.signature));
  for (auto change : std::vector<std::function<void(kyc::service::Checkpoint&)>>{
           [](auto& t) { t.seq = 41; }, [](auto& t) { t.link[0] = 'd'; },
           [](auto& t) { t.time = "2026-12-05T00:00:02Z"; },
           [](auto& t) { t.chain_key_id = "ffffffffffffffff"; },
           [](auto& t) { t.signature[5] = t.signature[5] == '0' ? '1' : '0'; }}) {
    auto tampered = c;
    change(tampered);
    EXPECT_FALSE(pub->verify(tampered.signed_bytes(), tampered.signature));
  }
  // Another key's public half does not verify it either.
  auto other = CheckpointKey::load_or_create((dir.path / "other").string() + ".key");
  ASSERT_TRUE(other);
  EXPECT_NE(other->id(), key->id());
  EXPECT_FALSE(other->verify(c.signed_bytes(), c.signature));
  // A second start reads the same key back.
  auto again = CheckpointKey::load_or_create((dir.path / "checkpoint.key").string());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id(), key->id());
}

TEST(Checkpoints, WrittenAtStartEveryNRecordsAndOnStopAndReadBackAsAnchors) {
  TempDir dir;
  kyc::store::memory::MemoryStore store;
  fill(store, 1, 3);
  auto key = CheckpointKey::load_or_create((dir.path / "checkpoint.key").string());
  ASSERT_TRUE(key);
  fs::path file = dir.path / "checkpoints.jsonl";
  {
    kyc::service::Checkpoints checkpoints(store, *key, "0011223344556677",
                                          {file.string(), 5, std::chrono::hours(1)},
                                          [](const std::string& e) { FAIL() << e; });
    ASSERT_TRUE(checkpoints.start());
    EXPECT_EQ(lines(file).size(), 1u);  // the head at start
    fill(store, 4, 9);                  // 6 new records: past N = 5
    for (int i = 0; i < 50 && lines(file).size() < 2; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_EQ(lines(file).size(), 2u);
    fill(store, 10, 10);  // fewer than N: only the stop writes it
    auto head = checkpoints.head();
    ASSERT_TRUE(head);
    EXPECT_EQ(head->seq, 10);
  }
  auto written = lines(file);
  ASSERT_EQ(written.size(), 3u);
  auto pub = CheckpointKey::load_public((dir.path / "checkpoint.pub").string());
  auto anchors = kyc::service::read_checkpoints(file.string(), *pub, "0011223344556677");
  ASSERT_TRUE(anchors) << anchors.error().message;
  ASSERT_EQ(anchors->size(), 3u);
  EXPECT_EQ((*anchors)[0].seq, 3);
  EXPECT_EQ((*anchors)[1].seq, 9);
  EXPECT_EQ((*anchors)[2].seq, 10);
  EXPECT_EQ((*anchors)[2].link, (*store.head()).link);

  // Another chain key: the checkpoints are of another log.
  auto other_chain = kyc::service::read_checkpoints(file.string(), *pub, "ffffffffffffffff");
  ASSERT_FALSE(other_chain);
  EXPECT_NE(other_chain.error().message.find("replaced"), std::string::npos);
  // An edited line (the head moved back, to hide a removed tail) is refused by its line.
  std::string edited = written[2];
  edited.replace(edited.find("\"seq\":10"), 8, "\"seq\":8");
  { std::ofstream(file) << written[0] << "\n" << written[1] << "\n" << edited << "\n"; }
  auto refused = kyc::service::read_checkpoints(file.string(), *pub, "0011223344556677");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find(":3: the signature does not match"), std::string::npos)
      << refused.error().message;
}

TEST(Checkpoints, ALogThatEndsBeforeTheLastCheckpointIsNotAppendedTo) {
  // A backup restored over the log: the service appended from the older head, forking the
  // chain the checkpoints sign, and only a later verify told (operator probe, stop 48).
  TempDir dir;
  kyc::store::memory::MemoryStore later, restored;
  fill(later, 1, 9);
  fill(restored, 1, 4);
  auto key = CheckpointKey::load_or_create((dir.path / "checkpoint.key").string());
  ASSERT_TRUE(key);
  std::string file = (dir.path / "checkpoints.jsonl").string();
  kyc::service::CheckpointOptions options{file, 5, std::chrono::hours(1)};
  {
    kyc::service::Checkpoints written(later, *key, "0011223344556677", options,
                                      [](const std::string& e) { FAIL() << e; });
    ASSERT_TRUE(written.start());
  }
  kyc::service::Checkpoints again(restored, *key, "0011223344556677", options,
                                  [](const std::string& e) { FAIL() << e; });
  auto started = again.start();
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().message.find("the log ends at record 4, but the checkpoints file"),
            std::string::npos)
      << started.error().message;
  EXPECT_EQ(lines(std::filesystem::path(file)).size(), 1u);  // nothing appended
}
