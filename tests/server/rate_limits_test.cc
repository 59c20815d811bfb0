// The abuse limits' tables on a clock the test moves: token buckets (burst, refill, the
// Retry-After they name, one bucket per key, the bound on their number) and the pauses that
// unknown tokens earn an address (when they start, how they grow, when they are forgiven).
#include "server/rate_limits.h"

#include <gtest/gtest.h>

#include <string>

using namespace kyc::server;
using namespace std::chrono_literals;

namespace {

struct FakeClock {
  SteadyTime now = SteadyTime{} + 1000s;
  SteadyClock clock() {
    return [this] { return now; };
  }
};

}  // namespace

TEST(TokenBuckets, ABurstThenTheRate) {
  FakeClock t;
  TokenBuckets buckets({5, 10}, 100, t.clock());
  for (int i = 0; i < 10; ++i) EXPECT_EQ(buckets.take("a"), 0s) << i;  // the burst
  EXPECT_EQ(buckets.take("a"), 1s);  // empty: one more in 0.2 s, said as 1 s
  t.now += 200ms;
  EXPECT_EQ(buckets.take("a"), 0s);  // refilled one
  EXPECT_EQ(buckets.take("a"), 1s);
  t.now += 10s;  // refills to the burst, not beyond
  for (int i = 0; i < 10; ++i) EXPECT_EQ(buckets.take("a"), 0s) << i;
  EXPECT_EQ(buckets.take("a"), 1s);
}

TEST(TokenBuckets, RetryAfterIsWholeSecondsUntilARequestIsBack) {
  FakeClock t;
  TokenBuckets slow({0.25, 1}, 100, t.clock());  // one request every 4 s
  EXPECT_EQ(slow.take("k"), 0s);
  EXPECT_EQ(slow.take("k"), 4s);
  t.now += 2500ms;
  EXPECT_EQ(slow.take("k"), 2s);  // 1.5 s left, rounded up
  t.now += 1500ms;
  EXPECT_EQ(slow.take("k"), 0s);
  // A refused request takes nothing: waiting the Retry-After is always enough.
  TokenBuckets fast({1000, 1}, 100, t.clock());
  EXPECT_EQ(fast.take("k"), 0s);
  EXPECT_EQ(fast.take("k"), 1s);  // 1 ms away, but never "Retry-After: 0"
  t.now += 1ms;
  EXPECT_EQ(fast.take("k"), 0s);
}

TEST(TokenBuckets, EachKeyHasItsOwnBucket) {
  FakeClock t;
  TokenBuckets buckets({1, 2}, 100, t.clock());
  EXPECT_EQ(buckets.take("alice"), 0s);
  EXPECT_EQ(buckets.take("alice"), 0s);
  EXPECT_GT(buckets.take("alice"), 0s);
  EXPECT_EQ(buckets.take("bob"), 0s);
  EXPECT_EQ(buckets.take("bob"), 0s);
  EXPECT_GT(buckets.take("bob"), 0s);
}

TEST(TokenBuckets, ZeroRateIsUnlimitedAndKeepsNoEntries) {
  FakeClock t;
  TokenBuckets buckets({0, 0}, 100, t.clock());
  for (int i = 0; i < 10000; ++i) ASSERT_EQ(buckets.take("x" + std::to_string(i % 7)), 0s);
  EXPECT_EQ(buckets.size(), 0u);
}

// A flood of distinct keys (addresses) cannot grow the table past its bound; the key seen
// least recently is the one dropped, so a busy client keeps its bucket.
TEST(TokenBuckets, TheTableIsBoundedAndDropsTheLeastRecentlySeen) {
  FakeClock t;
  TokenBuckets buckets({1, 3}, 1600, t.clock());  // 16 shards of 100
  for (int i = 0; i < 3; ++i) ASSERT_EQ(buckets.take("busy"), 0s);
  for (int i = 0; i < 200000; ++i) {
    buckets.take("flood-" + std::to_string(i));
    if (i % 50 == 0) buckets.take("busy");  // still seen, so never the oldest in its shard
  }
  EXPECT_LE(buckets.size(), 1600u);
  EXPECT_GE(buckets.size(), 1500u);
  EXPECT_GT(buckets.take("busy"), 0s);  // its empty bucket was kept, not reset to a burst
}

TEST(BoundedTable, FindNeitherMakesNorRefreshesEntries) {
  BoundedTable<int> table(16);  // one entry per shard
  EXPECT_FALSE(table.find("a", [](int& v) { return v; }).has_value());
  EXPECT_EQ(table.size(), 0u);
  table.upsert("a", [](int& v, bool fresh) {
    EXPECT_TRUE(fresh);
    return v = 7;
  });
  EXPECT_EQ(table.find("a", [](int& v) { return v; }).value_or(-1), 7);
  table.upsert("a", [](int& v, bool fresh) {
    EXPECT_FALSE(fresh);
    return ++v;
  });
  EXPECT_EQ(table.find("a", [](int& v) { return v; }).value_or(-1), 8);
}

TEST(BadTokenPauses, TwentyUnknownTokensPauseTheAddressForASecond) {
  FakeClock t;
  BadTokenPauses pauses({20, 60s, 1s, 60s}, 100, t.clock());
  for (int i = 0; i < 19; ++i) pauses.failed("10.0.0.1");
  EXPECT_EQ(pauses.paused("10.0.0.1"), 0s);
  pauses.failed("10.0.0.1");
  EXPECT_EQ(pauses.paused("10.0.0.1"), 1s);
  EXPECT_EQ(pauses.paused("10.0.0.2"), 0s);  // another address is not touched
  t.now += 999ms;
  EXPECT_EQ(pauses.paused("10.0.0.1"), 1s);  // 1 ms left: still a whole second
  t.now += 1ms;
  EXPECT_EQ(pauses.paused("10.0.0.1"), 0s);
}

TEST(BadTokenPauses, EachPauseDoublesUpToTheMaximum) {
  FakeClock t;
  BadTokenPauses pauses({20, 60s, 1s, 60s}, 100, t.clock());
  std::vector<int64_t> seen;
  for (int round = 0; round < 9; ++round) {
    for (int i = 0; i < 20; ++i) pauses.failed("a");
    auto pause = pauses.paused("a");
    seen.push_back(pause.count());
    t.now += pause;  // the client waits it out, then guesses again
  }
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 2, 4, 8, 16, 32, 60, 60, 60}));
}

TEST(BadTokenPauses, FailuresOutsideTheWindowDoNotAddUp) {
  FakeClock t;
  BadTokenPauses pauses({20, 60s, 1s, 60s}, 100, t.clock());
  for (int i = 0; i < 19; ++i) pauses.failed("a");
  t.now += 61s;
  pauses.failed("a");  // a new window: 1 failure, not 20
  EXPECT_EQ(pauses.paused("a"), 0s);
}

TEST(BadTokenPauses, AQuietWindowAfterAPauseForgivesTheDoublings) {
  FakeClock t;
  BadTokenPauses pauses({20, 60s, 1s, 60s}, 100, t.clock());
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 20; ++i) pauses.failed("a");
    t.now += pauses.paused("a");
  }
  for (int i = 0; i < 20; ++i) pauses.failed("a");
  EXPECT_EQ(pauses.paused("a"), 8s);
  t.now += 8s + 30s;  // not yet a quiet window after the pause
  for (int i = 0; i < 20; ++i) pauses.failed("a");
  EXPECT_EQ(pauses.paused("a"), 16s);
  t.now += 16s + 61s;  // quiet for longer than the window
  for (int i = 0; i < 20; ++i) pauses.failed("a");
  EXPECT_EQ(pauses.paused("a"), 1s);
}

TEST(BadTokenPauses, ZeroFailuresIsOff) {
  FakeClock t;
  BadTokenPauses pauses({0, 60s, 1s, 60s}, 100, t.clock());
  for (int i = 0; i < 1000; ++i) pauses.failed("a");
  EXPECT_EQ(pauses.paused("a"), 0s);
  EXPECT_EQ(pauses.size(), 0u);
}

TEST(BadTokenPauses, TheTableIsBounded) {
  FakeClock t;
  BadTokenPauses pauses({20, 60s, 1s, 60s}, 1600, t.clock());
  for (int i = 0; i < 50000; ++i) pauses.failed("addr-" + std::to_string(i));
  EXPECT_LE(pauses.size(), 1600u);
}
