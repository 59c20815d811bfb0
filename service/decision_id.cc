#include "service/decision_id.h"

#include <openssl/rand.h>

#include <array>
#include <chrono>
#include <cstdint>

namespace kyc::service {

std::string new_decision_id() {
  // State per thread: no lock on the request path. Ids of one thread strictly increase; ids of
  // different threads in the same millisecond are kept apart by 80 random bits.
  thread_local uint64_t last_ms = 0;
  thread_local std::array<uint8_t, 10> random{};
  uint64_t ms = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
  if (ms <= last_ms) {
    // Same millisecond (or the clock stepped back): keep the time, increment the randomness.
    ms = last_ms;
    for (int i = 9; i >= 0 && ++random[static_cast<size_t>(i)] == 0; --i) {
    }
  } else {
    RAND_bytes(random.data(), static_cast<int>(random.size()));
    last_ms = ms;
  }
  // 128 bits: 48 of time, 80 of randomness, written as 26 base32 digits (130 bits, top 2 zero).
  static const char* alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  unsigned __int128 value = static_cast<unsigned __int128>(ms) << 80;
  for (size_t i = 0; i < random.size(); ++i)
    value |= static_cast<unsigned __int128>(random[i]) << (8 * (9 - i));
  std::string id(26, '0');
  for (int i = 25; i >= 0; --i) {
    id[static_cast<size_t>(i)] = alphabet[static_cast<unsigned>(value & 31)];
    value >>= 5;
  }
  return id;
}

}  // namespace kyc::service
