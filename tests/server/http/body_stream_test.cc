// A body made while it is sent: the maker waits while the queue is full (memory stays bounded
// whatever the body's size), stops once the connection gives up, and a maker that fails cuts
// the body short instead of passing it off as whole.
#include "server/http/body_stream.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "tests/server/streamed_body.h"

using kyc::server::BodyStream;
using namespace std::chrono_literals;

TEST(BodyStream, TheMakerWaitsWhileTheQueueIsFull) {
  std::atomic<int> pushed{0};
  BodyStream body(
      [&](BodyStream& out) {
        for (int i = 0; i < 100; ++i) {
          if (!out.push(std::to_string(i) + ",")) return false;
          ++pushed;
        }
        return true;
      },
      2);
  std::thread maker([&] { body.make(); });
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(pushed, 2);  // nobody takes: two wait, the third push waits for room
  auto whole = kyc::server::testing::streamed_body(body);
  maker.join();
  ASSERT_TRUE(whole.has_value());
  EXPECT_EQ(whole->substr(0, 6), "0,1,2,");
  EXPECT_EQ(pushed, 100);
}

TEST(BodyStream, AConnectionThatGivesUpStopsTheMaker) {
  std::atomic<bool> stopped{false};
  BodyStream body(
      [&](BodyStream& out) {
        while (out.push(std::string(1024, 'x'))) {
        }
        stopped = true;
        return true;
      },
      2);
  std::thread maker([&] { body.make(); });
  std::this_thread::sleep_for(50ms);  // the queue fills, and the maker waits for room
  EXPECT_EQ(body.take([] {}).state, BodyStream::State::kPiece);
  body.abandon();
  maker.join();
  EXPECT_TRUE(stopped);
}

TEST(BodyStream, AMakerThatFailsCutsTheBodyShort) {
  BodyStream failed([](BodyStream& out) { return out.push("half") && false; });
  failed.make();
  EXPECT_FALSE(kyc::server::testing::streamed_body(failed).has_value());
  BodyStream threw([](BodyStream& out) -> bool {
    out.push("half");
    throw std::runtime_error("disk gone");
  });
  threw.make();
  EXPECT_FALSE(kyc::server::testing::streamed_body(threw).has_value());
  BodyStream whole([](BodyStream& out) { return out.push("all"); });
  whole.make();
  EXPECT_EQ(kyc::server::testing::streamed_body(whole).value_or(""), "all");
}
