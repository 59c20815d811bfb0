// The lists and tables a policy reads are part of it (issue 18, item 2): the running policy
// reloads when a list is saved, a broken list keeps the running policy, every decision's
// record keeps the files of its time, and a replay reads those, not the files on disk now.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>

#include "service/decisions.h"
#include "service/policy_store.h"
#include "service/replay.h"
#include "store/memory/memory_store.h"

namespace fs = std::filesystem;
using kyc::service::Decisions;
using kyc::service::PolicyStore;
using kyc::service::Recorded;

namespace {

constexpr const char* kPolicy = R"(policy "t" {
  version "1"
  locales en
  on missing review
}
facts {
  document.issuer : string
}
let SANCTIONED = list("lists/sanctioned.txt")
reason SANCTIONED_STATE {
  outcome review
  when document.issuer in SANCTIONED
  message en { title "t" detail "d" action "a" }
}
)";

struct Folder {
  fs::path dir = fs::temp_directory_path() /
                 ("kyc-policy-files-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
  Folder() {
    fs::remove_all(dir);
    fs::create_directories(dir / "lists");
    std::ofstream(dir / "t.policy") << kPolicy;
    list("PRK\n");
  }
  ~Folder() { fs::remove_all(dir); }
  void list(const std::string& content) {
    // Written aside and renamed, as an editor saves: the watcher never sees half a file.
    std::ofstream(dir / "lists" / "new.txt") << content;
    fs::rename(dir / "lists" / "new.txt", dir / "lists" / "sanctioned.txt");
  }
};

bool wait_for(const std::function<bool()>& done) {
  for (int i = 0; i < 200 && !done(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return done();
}

std::string outcome(Decisions& decisions, const std::string& issuer) {
  std::optional<Recorded> out;
  auto facts = boost::json::object{{"document", boost::json::object{{"issuer", issuer}}}};
  decisions.decide_and_record([&] { return decisions.decide({facts, "", "en", "evaluate"}); },
                              {}, [&out](Recorded r) { out = std::move(r); });
  if (!out || !out->decision) return "not decided";
  auto d = boost::json::parse(out->decision->decision_json).as_object();
  return std::string(d.at("outcome").as_string());
}

}  // namespace

TEST(PolicyFiles, SavingAListReloadsThePolicyAndABrokenOneKeepsTheRunningPolicy) {
  Folder f;
  PolicyStore policies(f.dir.string(), "t.policy");
  ASSERT_TRUE(policies.reload()) << policies.last_error();
  std::string first = policies.current()->compiled->sha256;
  ASSERT_EQ(policies.current()->files->size(), 1u);
  EXPECT_EQ(policies.current()->files->front().content, "PRK\n");
  policies.watch(std::chrono::milliseconds(20));

  f.list("PRK\nIRN\n");
  ASSERT_TRUE(wait_for([&] { return policies.current()->compiled->sha256 != first; }))
      << "an edited list is an edited policy";
  EXPECT_EQ(policies.current()->files->front().content, "PRK\nIRN\n");

  std::string second = policies.current()->compiled->sha256;
  fs::remove(f.dir / "lists" / "sanctioned.txt");
  ASSERT_TRUE(wait_for([&] { return !policies.last_error().empty(); }));
  EXPECT_NE(policies.last_error().find("lists/sanctioned.txt: cannot read the file"),
            std::string::npos)
      << policies.last_error();
  EXPECT_EQ(policies.current()->compiled->sha256, second) << "the running policy is kept";
}

TEST(PolicyFiles, ADeletedListRestoredIsSeenAndEveryReloadIsHeardWithWhyItFailed) {
  // Restored, a deleted list went unseen: the failed load no longer watched it, and the error
  // stayed in /v1/policies until a reload by hand; a failed file-watch reload left no line in
  // the log (probe, stop 48).
  Folder f;
  std::mutex mutex;
  std::vector<std::string> heard;
  PolicyStore policies(f.dir.string(), "t.policy",
                       [&](const std::string& trigger, const std::string& error) {
                         std::lock_guard lock(mutex);
                         heard.push_back(trigger + ": " + error.substr(0, error.find('\n')));
                       });
  ASSERT_TRUE(policies.reload()) << policies.last_error();
  policies.watch(std::chrono::milliseconds(20));
  fs::remove(f.dir / "lists" / "sanctioned.txt");
  ASSERT_TRUE(wait_for([&] { return !policies.last_error().empty(); }));
  f.list("PRK\n");
  EXPECT_TRUE(wait_for([&] { return policies.last_error().empty(); })) << policies.last_error();
  std::lock_guard lock(mutex);
  ASSERT_EQ(heard.size(), 3u);
  EXPECT_EQ(heard[0], "start: ");
  EXPECT_EQ(heard[1],
            "file watch: t.policy:9:23: error: lists/sanctioned.txt: cannot read the file (No such "
            "file or directory)");
  EXPECT_EQ(heard[2], "file watch: ");
}

TEST(PolicyFiles, AReplayReadsTheFilesRecordedWithTheDecisionNotTheFilesOnDisk) {
  Folder f;
  kyc::store::memory::MemoryStore store;
  auto key = kyc::store::DocumentKey::load_or_create((f.dir / "key").string());
  ASSERT_TRUE(key);
  PolicyStore policies(f.dir.string(), "t.policy");
  ASSERT_TRUE(policies.reload()) << policies.last_error();
  Decisions decisions(policies, kyc::service::Stores{&store, &store, &*key, {}});
  EXPECT_EQ(outcome(decisions, "IRN"), "approve");

  f.list("PRK\nIRN\n");  // the list changes after the decision
  ASSERT_TRUE(policies.reload()) << policies.last_error();
  EXPECT_EQ(outcome(decisions, "IRN"), "review");

  auto files = store.policy_files(policies.current()->compiled->sha256);
  ASSERT_TRUE(files);
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ(files->front().content, "PRK\nIRN\n");

  auto report = kyc::service::replay(store, {});
  ASSERT_TRUE(report);
  EXPECT_EQ(report->records, 2);
  EXPECT_EQ(report->matched, 2) << (report->mismatches.empty() ? "" : report->mismatches[0]);

  // A candidate is read beside the policy: its lists come from the policy's folder.
  auto candidate = policies.load_candidate(kPolicy);
  ASSERT_TRUE(candidate.ok()) << candidate.report();
  EXPECT_EQ(candidate.compiled->sha256, policies.current()->compiled->sha256);
}
