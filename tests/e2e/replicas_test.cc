// Several `kyc serve` replicas on one PostgreSQL database (issue 21): what one answered with
// 200 is in the log even when another is killed with SIGKILL, the one chain of all their
// appends verifies and replays, the account limit holds across them, and a policy activated
// on one runs on all. Each test gets a database of its own in the ctest run's throwaway
// cluster (tests/store/pg_test_database.h).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <barrier>
#include <boost/json.hpp>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "../store/pg_test_database.h"
#include "approvable.h"
#include "http_client.h"
#include "server_process.h"

using namespace kyc::e2e;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

// What replicas must share besides the database: the chain key (one chain), the document key
// (one keyed hash per document number, so the account limit sees one document), the master
// key (every replica opens every account's data) and the checkpoint key.
constexpr const char* kSharedKeys[] = {"chain.key", "master.key", "document.key",
                                       "checkpoint.key"};

// The first replica makes the keys; the others start with copies, as an operator deploys them.
class Replicas {
 public:
  Replicas(const std::string& url, int count) {
    std::vector<std::string> args = {"--store", url};
    replicas_.push_back(std::make_unique<ServerProcess>(args));
    fs::path keys = replicas_[0]->data_dir();
    for (int i = 1; i < count; ++i)
      replicas_.push_back(std::make_unique<ServerProcess>(args, [&keys](const fs::path& var) {
        fs::create_directories(var);
        fs::permissions(var, fs::perms::owner_all);
        for (const char* key : kSharedKeys) fs::copy_file(keys / key, var / key);
      }));
  }
  ServerProcess& operator[](size_t i) { return *replicas_[i]; }
  size_t size() const { return replicas_.size(); }

 private:
  std::vector<std::unique_ptr<ServerProcess>> replicas_;
};

std::unique_ptr<kyc::test_support::PgTestDatabase> database() {
  auto db = kyc::test_support::PgTestDatabase::create();
  if (!db) ADD_FAILURE() << db.error().message;
  return db ? std::move(*db) : nullptr;
}

// The decision ids in `kyc audit export`'s output (one JSON record per line).
std::set<std::string> exported_ids(const std::string& output) {
  std::set<std::string> ids;
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] != '{') continue;
    auto record = json::parse(line).as_object();
    if (auto* id = record.if_contains("decision_id")) ids.insert(std::string(id->as_string()));
  }
  return ids;
}

std::string field(const std::string& body, const char* name) {
  auto parsed = json::parse(body).as_object();
  auto* value = parsed.if_contains(name);
  return value && value->is_string() ? std::string(value->as_string()) : "";
}

}  // namespace

TEST(Replicas, NothingAnsweredIsLostWhenOneIsKilledAndTheChainOfAllVerifies) {
  auto db = database();
  ASSERT_TRUE(db);
  Replicas replicas(db->url(), 3);
  for (size_t i = 0; i < replicas.size(); ++i) ASSERT_GT(replicas[i].port(), 0) << replicas[i].log();

  std::mutex mutex;
  std::vector<std::string> acknowledged;
  std::vector<int> answered(replicas.size(), 0);
  std::atomic<bool> stop{false};
  auto load = [&](size_t replica, int client) {
    Connection c(replicas[replica].port());
    for (int i = 0; !stop; ++i) {
      // Several accounts per client, and every 5th request reuses a document: links,
      // attempts and the account limit are written under load too.
      std::string account = "acc-" + std::to_string(replica) + "-" + std::to_string(client) +
                            "-" + std::to_string(i % 40);
      std::string number = "L" + std::to_string(i % 5 == 0 ? 7 : replica * 100000 + client * 10000 + i);
      if (!c.send(request("POST", "/v1/evaluate", approvable(account, number), kEvaluateToken)))
        return;
      auto r = c.read(10s);
      if (!r) return;  // the replica is gone: nothing in flight counts as answered
      if (r->status != 200) continue;
      std::lock_guard lock(mutex);
      acknowledged.push_back(field(r->body, "decision_id"));
      ++answered[replica];
    }
  };
  std::vector<std::thread> clients;
  for (size_t replica = 0; replica < replicas.size(); ++replica)
    for (int client = 0; client < 2; ++client) clients.emplace_back(load, replica, client);
  std::this_thread::sleep_for(1500ms);
  replicas[2].kill9();  // in the middle of its batches
  std::this_thread::sleep_for(1500ms);
  stop = true;
  for (auto& t : clients) t.join();
  for (size_t i = 0; i < 2; ++i) {
    replicas[i].signal(SIGTERM);
    ASSERT_EQ(replicas[i].wait_exit(15s), 0) << replicas[i].log();
  }
  for (size_t i = 0; i < replicas.size(); ++i)
    EXPECT_GT(answered[i], 20) << "replica " << i << " answered too little to test anything";
  std::cout << "answered with 200: " << answered[0] << ", " << answered[1] << " and, until it was "
            << "killed, " << answered[2] << "\n";

  std::string store = " --store " + db->url() + " --data-dir " + replicas[0].data_dir().string();
  auto [exported, out] = run_kyc("audit export" + store);
  ASSERT_EQ(exported, 0) << out.substr(0, 2000);
  std::set<std::string> in_log = exported_ids(out);
  size_t missing = 0;
  for (const auto& id : acknowledged) missing += in_log.count(id) == 0;
  EXPECT_EQ(missing, 0u) << "of " << acknowledged.size() << " answered with 200";
  EXPECT_GE(in_log.size(), acknowledged.size());

  auto [verified, report] = run_kyc("audit verify" + store);
  EXPECT_EQ(verified, 0) << report;
  EXPECT_NE(report.find("chain intact"), std::string::npos) << report;
  auto [replayed, replay] = run_kyc("replay" + store);
  EXPECT_EQ(replayed, 0) << replay.substr(0, 2000);
  EXPECT_NE(replay.find("reproduced exactly"), std::string::npos) << replay.substr(0, 2000);
}

TEST(Replicas, ConcurrentApprovalsOfOneDocumentOnTwoReplicasNeverBothPass) {
  auto db = database();
  ASSERT_TRUE(db);
  Replicas replicas(db->url(), 2);
  constexpr int kTries = 1000;
  // Each round, one request per replica at the same moment: the same document for two fresh
  // accounts.
  std::vector<std::array<std::string, 2>> bodies(kTries);
  std::barrier start(2);
  auto side = [&](int which) {
    Connection c(replicas[which].port());
    for (int round = 0; round < kTries; ++round) {
      std::string number = "RACE" + std::to_string(round);
      std::string raw = request("POST", "/v1/evaluate",
                                approvable(std::to_string(which) + "-" + number, number),
                                kEvaluateToken);
      start.arrive_and_wait();
      if (!c.send(raw)) return;
      auto r = c.read(10s);
      bodies[round][which] = r && r->status == 200 ? r->body : "";
    }
  };
  std::thread a(side, 0), b(side, 1);
  a.join();
  b.join();
  int both_approved = 0, one_approved = 0, limit_rejections = 0, unanswered = 0;
  for (const auto& round : bodies) {
    int approved = 0;
    for (const auto& body : round) {
      if (body.empty()) ++unanswered;
      approved += body.find("\"outcome\":\"approve\"") != std::string::npos;
      limit_rejections += body.find("DOC_ACCOUNT_LIMIT") != std::string::npos;
    }
    both_approved += approved == 2;
    one_approved += approved == 1;
  }
  EXPECT_EQ(unanswered, 0);
  EXPECT_EQ(both_approved, 0);
  // The first to commit approves; the other reads one more account and hits the limit.
  EXPECT_EQ(one_approved, kTries);
  EXPECT_EQ(limit_rejections, kTries);
}

TEST(Replicas, APolicyActivatedOnOneRunsOnEveryReplicaWithinTwoSeconds) {
  auto db = database();
  ASSERT_TRUE(db);
  Replicas replicas(db->url(), 3);
  std::string text;
  {
    std::ifstream in(replicas[0].policy_path());
    std::stringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  }
  auto changed_at = std::chrono::steady_clock::now();
  std::ofstream(replicas[0].policy_path()) << with_version(text, "2026-12-05.replicas");
  // Replica 0's file watch (200 ms) activates it; the others follow through the database.
  for (size_t i = 1; i < replicas.size(); ++i) {
    std::string version;
    while (std::chrono::steady_clock::now() - changed_at < 5s) {
      auto r = call(replicas[i].port(),
                    request("POST", "/v1/evaluate", approvable("follower", "F1"), kEvaluateToken));
      auto decision = json::parse(r.body).as_object();
      version = std::string(decision.at("policy").as_object().at("version").as_string());
      if (version == "2026-12-05.replicas") break;
      std::this_thread::sleep_for(20ms);
    }
    auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - changed_at);
    EXPECT_EQ(version, "2026-12-05.replicas") << replicas[i].log();
    // Its own file never changed: the version can only have come through the database.
    EXPECT_LT(took, 2000ms) << "replica " << i;
    std::cout << "replica " << i << " ran the new policy " << took.count()
              << " ms after replica 0's file changed\n";
  }
  // One activation recorded, by the replica whose file changed; the others only followed.
  auto [listed, history] = run_kyc("policy history --store " + db->url() + " --data-dir " +
                                   replicas[0].data_dir().string());
  EXPECT_EQ(listed, 0) << history;
  EXPECT_NE(history.find("2 activation(s)"), std::string::npos) << history;
}

TEST(Replicas, ReadinessFailsWhenTheDatabaseCannotBeReached) {
  auto db = database();
  ASSERT_TRUE(db);
  Replicas replicas(db->url(), 1);
  EXPECT_EQ(call(replicas[0].port(), request("GET", "/readyz")).status, 200);
  // The database goes away under the running replica (FORCE ends its connections).
  std::string cluster = db->url();
  cluster.replace(cluster.rfind("/" + db->name()), db->name().size() + 1, "/postgres");
  auto dropped = kyc::test_support::run_sql(cluster, "DROP DATABASE " + db->name() + " WITH (FORCE)");
  ASSERT_TRUE(dropped) << dropped.error().message;
  Response ready;
  auto deadline = std::chrono::steady_clock::now() + 3s;
  do {
    std::this_thread::sleep_for(50ms);
    ready = call(replicas[0].port(), request("GET", "/readyz"));
  } while (ready.status == 200 && std::chrono::steady_clock::now() < deadline);
  EXPECT_EQ(ready.status, 503);
  EXPECT_NE(ready.body.find("cannot be reached"), std::string::npos) << ready.body;
  // A decision is not answered as if it were recorded.
  auto r = call(replicas[0].port(),
                request("POST", "/v1/evaluate", approvable("gone", "G1"), kEvaluateToken));
  EXPECT_EQ(r.status, 503) << r.body;
}
