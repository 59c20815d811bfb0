#include "service/decision_id.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <set>
#include <string>

namespace {

// The value of a Crockford base32 digit.
unsigned digit(char c) {
  static const std::string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  return static_cast<unsigned>(alphabet.find(c));
}

// The 70 random bits of an id: its last 14 digits (70 bits exactly).
unsigned __int128 random_part(const std::string& id) {
  unsigned __int128 value = 0;
  for (size_t i = 12; i < 26; ++i) value = (value << 5) | digit(id[i]);
  return value;
}

}  // namespace

TEST(DecisionId, SortableAndUnique) {
  std::set<std::string> seen;
  std::string previous;
  for (int i = 0; i < 10000; ++i) {
    std::string id = kyc::service::new_decision_id();
    ASSERT_EQ(id.size(), 26u);
    ASSERT_LT(previous, id);  // strictly increasing, even within one millisecond
    ASSERT_TRUE(seen.insert(id).second);
    previous = id;
  }
}

// Consecutive ids share no counter: their random parts are unrelated draws. With 70 fresh bits,
// two ids agree in about 35 of them; an increment (the old scheme) changed one or two.
TEST(DecisionId, TheRandomPartIsFreshForEveryId) {
  std::string previous = kyc::service::new_decision_id();
  int adjacent = 0, few_bits_apart = 0;
  for (int i = 0; i < 2000; ++i) {
    std::string id = kyc::service::new_decision_id();
    unsigned __int128 a = random_part(previous), b = random_part(id);
    unsigned __int128 diff = a > b ? a - b : b - a;
    if (diff < 1024) ++adjacent;
    unsigned __int128 x = a ^ b;
    int bits = __builtin_popcountll(static_cast<uint64_t>(x)) +
               __builtin_popcountll(static_cast<uint64_t>(x >> 64));
    if (bits < 8) ++few_bits_apart;
    previous = id;
  }
  EXPECT_EQ(adjacent, 0);
  EXPECT_EQ(few_bits_apart, 0);  // P(< 8 of 70 bits differ) is about 1e-13 per pair
}

// The first 12 digits (2 zero bits, 48 of milliseconds, 10 of the microsecond) follow the
// clock: the millisecond part is now, to within a second.
TEST(DecisionId, TheTimePartIsTheClock) {
  std::string id = kyc::service::new_decision_id();
  unsigned __int128 value = 0;
  for (char c : id) value = (value << 5) | digit(c);
  auto ms = static_cast<int64_t>(value >> 80);
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  EXPECT_LE(std::abs(now - ms), 1000);
}
