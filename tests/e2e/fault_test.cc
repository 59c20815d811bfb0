// Disk full while serving: the data folder is a 1 MiB tmpfs. Requests that cannot be recorded
// fail with 503 and carry no decision; nothing half-written stays in the log; once space
// returns the same process records again, and the chain verifies and replays.
#include <gtest/gtest.h>
#include <sys/mount.h>

#include <boost/json.hpp>
#include <set>

#include "dsl/policy_loader.h"
#include "http_client.h"
#include "server_process.h"

using namespace kyc::e2e;
namespace json = boost::json;

namespace {

// Mounts a tmpfs of `size` at a path and unmounts it when it goes (after the server).
struct SmallDisk {
  fs::path at;
  bool mounted = false;
  void mount_at(const fs::path& path, const std::string& size) {
    at = path;
    fs::create_directories(at);
    mounted = ::mount("tmpfs", at.c_str(), "tmpfs", 0, ("size=" + size).c_str()) == 0;
  }
  bool resize(const std::string& size) {
    return ::mount("tmpfs", at.c_str(), "tmpfs", MS_REMOUNT, ("size=" + size).c_str()) == 0;
  }
  ~SmallDisk() {
    if (mounted) ::umount2(at.c_str(), MNT_DETACH);
  }
};

std::string body(int i) {
  std::string text;
  kyc::dsl::read_file(KYC_SOURCE_DIR "/policies/examples/expired-passport.json", text);
  json::object facts = json::parse(text).as_object();
  facts.erase("today");
  // Varied, and padded with an ignored fact so the log fills in a few hundred requests.
  facts["padding"] = std::string(1500, static_cast<char>('a' + i % 26));
  return json::serialize(
      json::object{{"facts", facts}, {"account_id", "acct-" + std::to_string(i % 5)}});
}

}  // namespace

TEST(Fault, DiskFullFailsWith503AndRecoversWhenSpaceReturns) {
  SmallDisk disk;
  ServerProcess server({}, [&](const fs::path& data_dir) { disk.mount_at(data_dir, "1m"); });
  if (!disk.mounted) GTEST_SKIP() << "cannot mount a tmpfs here (needs root)";
  ASSERT_NE(server.port(), 0) << server.log();
  Connection c(server.port());
  std::set<std::string> answered;
  int refused = 0, i = 0;
  for (; i < 5000 && refused < 20; ++i) {
    ASSERT_TRUE(c.send(request("POST", "/v1/evaluate", body(i), kEvaluateToken)));
    auto r = c.read();
    ASSERT_TRUE(r) << "request " << i;
    if (r->status == 200) {
      answered.insert(std::string(json::parse(r->body).at("decision_id").as_string()));
    } else {
      ASSERT_EQ(r->status, 503) << r->body;
      EXPECT_NE(r->body.find("audit-unavailable"), std::string::npos) << r->body;
      EXPECT_EQ(r->body.find("\"outcome\""), std::string::npos) << "no decision without a record";
      ++refused;
    }
  }
  ASSERT_GE(refused, 20) << "the 1 MiB disk never filled in " << i << " requests";
  ASSERT_GT(answered.size(), 10u);

  // Space returns: the same process records again.
  ASSERT_TRUE(disk.resize("64m"));
  int recovered = 0;
  for (int k = 0; k < 20; ++k) {
    ASSERT_TRUE(c.send(request("POST", "/v1/evaluate", body(i + k), kEvaluateToken)));
    auto r = c.read();
    ASSERT_TRUE(r);
    if (r->status == 200) {
      ++recovered;
      answered.insert(std::string(json::parse(r->body).at("decision_id").as_string()));
    }
  }
  EXPECT_EQ(recovered, 20);

  // Every answered decision is in the log, the chain verifies and every record replays.
  for (const auto& id : answered) {
    Connection q(server.port());
    q.send(request("GET", "/v1/verifications/" + id, "", kAuditToken));
    auto r = q.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << id;
  }
  auto [verify_rc, verify_out] = run_kyc("audit verify --data-dir " + server.data_dir().string());
  EXPECT_EQ(verify_rc, 0) << verify_out;
  // The decisions and the policy's activation at start.
  EXPECT_NE(verify_out.find("ok: " + std::to_string(answered.size() + 1) + " records"),
            std::string::npos)
      << verify_out;
  auto [replay_rc, replay_out] = run_kyc("replay --data-dir " + server.data_dir().string());
  EXPECT_EQ(replay_rc, 0) << replay_out;
  EXPECT_NE(replay_out.find("match: "), std::string::npos) << replay_out;
}
