// The log read in bulk, through the route table over the in-memory store: a range replay (POST
// /v1/replay) or a CSV export (GET /v1/verifications?format=csv) runs on a thread of its own,
// never on the thread that asked (on the service's one IO thread a replay of 200,000 decisions
// held every request for 4.1 s, and an export refused as too large for 3 s); one runs at a time
// and one more may wait; a replay's body is checked before anything is queued; a replay still
// running when the service stops, or whose client has gone, is told to stop.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>

#include "server/api.h"
#include "store/memory/memory_store.h"
#include "tests/server/streamed_body.h"

using namespace kyc::server;
using namespace std::chrono_literals;

namespace {

void fill(kyc::store::memory::MemoryStore& store) {
  for (int i = 0; i < 20; ++i) {
    kyc::store::AuditRecord r;
    r.decision_id = "D" + std::to_string(i);
    r.time =
        "2026-11-0" + std::to_string(1 + i / 10) + "T1" + std::to_string(i % 10) + ":00:00.000Z";
    r.stage = "evaluate";
    r.facts = "{}";
    r.policy_sha256 = "abc";
    r.decision = R"({"outcome":"approve","reasons":[],"undetermined":[]})";
    store.append(r, [](auto) {});
  }
}

// A read handle that opens only when the test lets it: while it waits, the bulk read that asked
// for it is running, and the test can see what else is answered meanwhile.
class Gate {
 public:
  kyc::store::OpenLogReader opener() {
    return [this]() -> kyc::common::Result<std::unique_ptr<kyc::store::DecisionLog>> {
      std::unique_lock lock(mutex_);
      ++waiting_;
      changed_.notify_all();
      changed_.wait(lock, [this] { return open_; });
      auto reader = std::make_unique<kyc::store::memory::MemoryStore>();
      fill(*reader);
      return std::unique_ptr<kyc::store::DecisionLog>(std::move(reader));
    };
  }
  bool wait_for_reads(int n) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 10s, [&] { return waiting_ >= n; });
  }
  int reads_started() {
    std::lock_guard lock(mutex_);
    return waiting_;
  }
  void open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int waiting_ = 0;
  bool open_ = false;
};

class BulkReadRoutes : public ::testing::Test {
 protected:
  void SetUp() override { fill(store_); }
  // Sends a request; the answer arrives on whichever thread gives it.
  std::future<HttpResponse> send(const std::string& method, const std::string& target,
                                 const std::string& body = "", int client_socket = -1) {
    auto ex = std::make_shared<Exchange>();
    ex->client_socket = client_socket;
    ex->request.method = method;
    ex->request.target = target;
    ex->request.body = body;
    auto answer = std::make_shared<std::promise<HttpResponse>>();
    ex->reply = [answer](HttpResponse r, const RequestNotes&) { answer->set_value(std::move(r)); };
    api_->handle(ex);
    return answer->get_future();
  }
  static bool answered(std::future<HttpResponse>& f) {
    return f.wait_for(0s) == std::future_status::ready;
  }
  // The answer to a bulk read once the gate opens; before that, the read waits on the gate
  // unanswered while the thread that asked answers a search page at once.
  HttpResponse answered_after_the_gate(std::future<HttpResponse>& bulk) {
    EXPECT_TRUE(gate_.wait_for_reads(1));
    EXPECT_FALSE(answered(bulk));
    auto page = send("GET", "/v1/verifications?limit=1");
    EXPECT_TRUE(answered(page));
    if (answered(page)) {
      EXPECT_EQ(page.get().status, 200);
    }
    gate_.open();
    if (bulk.wait_for(10s) != std::future_status::ready) return {};
    auto r = bulk.get();
    if (r.stream) r.body = kyc::server::testing::streamed_body(*r.stream).value_or("(cut short)");
    return r;
  }

  kyc::store::memory::MemoryStore store_;
  Gate gate_;
  ServeOptions options_;
  Metrics metrics_;
  PolicyStore policies_{"/nonexistent", "kyc.policy"};
  std::unique_ptr<Api> api_ = std::make_unique<Api>(
      options_, policies_, metrics_, nullptr, Stores{&store_, &store_, nullptr, gate_.opener()});
};

TEST_F(BulkReadRoutes, ARangeReplayRunsOffTheThreadThatAskedAndAnswersWhenDone) {
  auto replay = send("POST", "/v1/replay", R"({"from":"2026-11-01","to":"2026-11-02"})");
  auto r = answered_after_the_gate(replay);
  ASSERT_EQ(r.status, 200) << r.body;
  auto report = boost::json::parse(r.body).as_object();
  EXPECT_EQ(report.at("records"), 10);     // the first day's ten
  EXPECT_EQ(report.at("mismatches"), 10);  // no policy "abc" was recorded: each one says so
}

TEST_F(BulkReadRoutes, ACsvExportRunsOffTheThreadThatAsked) {
  auto csv = send("GET", "/v1/verifications?format=csv");
  auto r = answered_after_the_gate(csv);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(std::count(r.body.begin(), r.body.end(), '\n'), 21);  // the header and 20 rows
}

TEST_F(BulkReadRoutes, OneBulkReadRunsOneWaitsAndAThirdIsToldToRetry) {
  auto first = send("POST", "/v1/replay");
  ASSERT_TRUE(gate_.wait_for_reads(1));
  auto second = send("GET", "/v1/verifications?format=csv");
  auto third = send("POST", "/v1/replay");
  ASSERT_TRUE(answered(third));
  auto busy = third.get();
  EXPECT_EQ(busy.status, 503) << busy.body;
  bool retry_after = false;
  for (const auto& [name, value] : busy.headers) retry_after |= name == "Retry-After";
  EXPECT_TRUE(retry_after);
  EXPECT_FALSE(answered(second));
  gate_.open();
  ASSERT_EQ(first.wait_for(10s), std::future_status::ready);
  ASSERT_EQ(second.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(first.get().status, 200);
  EXPECT_EQ(second.get().status, 200);
}

TEST_F(BulkReadRoutes, AFieldOfTheWrongTypeOrAnUnknownOneIsRefusedBeforeAnythingRuns) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"from":5})", "\"from\" must be a string"},
      {R"({"to":"yesterday"})", "to must be a date YYYY-MM-DD"},
      {R"({"from":"2026-12-07","to":"2026-12-01"})", "from must be before to"},
      {R"({"policy":["a"]})", "\"policy\" must be a string"},
      {R"({"form":"2026-12-01"})", "unknown field \"form\""},
      {R"({"format":"pdf"})", "format is json or html"},
  };
  for (const auto& [body, says] : cases) {
    auto answer = send("POST", "/v1/replay", body);
    ASSERT_TRUE(answered(answer)) << body;
    auto r = answer.get();
    EXPECT_EQ(r.status, 422) << body;
    std::string detail(boost::json::parse(r.body).at("detail").as_string());
    EXPECT_NE(detail.find(says), std::string::npos) << body << ": " << detail;
  }
  EXPECT_EQ(send("POST", "/v1/replay", "[1]").get().status, 400);
  EXPECT_EQ(gate_.reads_started(), 0);  // none of them was queued
}

TEST_F(BulkReadRoutes, AReplayStillRunningWhenTheServiceStopsIsStopped) {
  auto replay = send("POST", "/v1/replay");
  ASSERT_TRUE(gate_.wait_for_reads(1));
  // The service stops while the replay waits for its read handle; the handle opens a moment
  // later, and the replay ends at its first record instead of reading the whole range.
  std::thread opener([this] {
    std::this_thread::sleep_for(100ms);
    gate_.open();
  });
  api_.reset();
  opener.join();
  ASSERT_TRUE(answered(replay));
  auto r = replay.get();
  EXPECT_EQ(r.status, 503) << r.body;
  // The answer an export stopped the same way gets.
  EXPECT_NE(r.body.find("/problems/stopping\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("the service is shutting down"), std::string::npos) << r.body;
}

// Both ends of a connection: `server` is what the exchange watches, `client` the caller's.
struct Connection {
  int server = -1, client = -1;
  Connection() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, &server), 0); }
  ~Connection() {
    ::close(server);
    if (client >= 0) ::close(client);
  }
  void client_leaves() {
    ::close(client);
    client = -1;
  }
};

TEST_F(BulkReadRoutes, AReadWhoseClientHasGoneIsStoppedAndTheNextOneRuns) {
  Connection gone;
  auto replay = send("POST", "/v1/replay", "", gone.server);
  ASSERT_TRUE(gate_.wait_for_reads(1));
  // While the replay waits for its read handle, an export is queued behind it by a client that
  // leaves before its turn, and a third client sends its next request early (pipelined) and
  // stays: its bytes are not taken for a goodbye.
  Connection queued, stays;
  auto csv = send("GET", "/v1/verifications?format=csv", "", queued.server);
  queued.client_leaves();
  gone.client_leaves();
  ASSERT_EQ(::write(stays.client, "GET /healthz HTTP/1.1\r\n\r\n", 25), 25);
  gate_.open();
  ASSERT_EQ(replay.wait_for(10s), std::future_status::ready);
  auto r = replay.get();
  EXPECT_EQ(r.status, 499) << r.body;
  EXPECT_NE(r.body.find("/problems/client-closed\""), std::string::npos) << r.body;
  ASSERT_EQ(csv.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(csv.get().status, 499);
  EXPECT_EQ(gate_.reads_started(), 1);  // the export never opened the log
  auto next = send("POST", "/v1/replay", "", stays.server);
  ASSERT_EQ(next.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(next.get().status, 200);
}

}  // namespace
