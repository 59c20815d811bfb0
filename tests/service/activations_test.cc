// Activation records: the note of a console deploy is written and read back, a record written
// before notes were still reads (with no note), and the history finds a policy by version or
// sha256 prefix as `kyc policy diff` and the console name it.
#include "service/activations.h"

#include <gtest/gtest.h>

#include "service/policy_history.h"
#include "store/memory/memory_store.h"

using namespace kyc;

TEST(Activations, TheNoteIsRecordedAndRead) {
  service::Activation a{"2026-12-05T09:00:00.000Z",
                        "v2",
                        "abcdef0123",
                        "t",
                        "9876543210",
                        "console",
                        "ann",
                        "kyc.policy",
                        "raise the blur bar"};
  store::memory::MemoryStore log;
  log.append(service::activation_record(a, std::make_shared<const std::string>("text"), nullptr),
             [](auto) {});
  auto history = service::policy_history(log);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].note, "raise the blur bar");
  EXPECT_EQ((*history)[0].by, "ann");
  EXPECT_EQ(service::activation_json((*history)[0]).at("note"), "raise the blur bar");
}

TEST(Activations, ARecordFromBeforeNotesReadsWithoutOne) {
  store::StoredRecord old;
  old.record.stage = store::kActivationStage;
  old.record.time = "2026-11-01T00:00:00.000Z";
  old.record.decision =
      R"({"version":"v1","sha256":"aa","text_sha256":"bb","previous_sha256":"","trigger":"start","by":"","file":"kyc.policy"})";
  auto a = service::read_activation(old);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->version, "v1");
  EXPECT_EQ(a->trigger, "start");
  EXPECT_EQ(a->note, "");
}

TEST(Activations, APolicyIsNamedByItsLatestVersionOrASha256Prefix) {
  std::vector<service::Activation> history(3);
  history[0].version = "v1";
  history[0].sha256 = "111111aaaa";
  history[1].version = "v2";
  history[1].sha256 = "222222bbbb";
  history[2].version = "v1";  // v1 again, another text
  history[2].sha256 = "333333cccc";
  EXPECT_EQ(service::find_activation(history, "v1"), &history[2]);
  EXPECT_EQ(service::find_activation(history, "222222"), &history[1]);
  EXPECT_EQ(service::find_activation(history, "22222"), nullptr);  // too short a prefix
  EXPECT_EQ(service::find_activation(history, "v9"), nullptr);
}
