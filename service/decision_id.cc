#include "service/decision_id.h"

#include <openssl/rand.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <stdexcept>

namespace kyc::service {

namespace {

constexpr int kRandomBits = 70;
constexpr uint64_t kSubMillisecondSteps = 1024;  // 10 bits; 0-999 are the microseconds

// Random bytes from a per-thread buffer refilled from OpenSSL's CSPRNG: one RAND_bytes call per
// 64 ids instead of one per id.
void fresh_random(uint8_t* out, size_t n) {
  thread_local std::array<uint8_t, 64 * 9> pool{};
  thread_local size_t used = pool.size();
  if (used + n > pool.size()) {
    if (RAND_bytes(pool.data(), static_cast<int>(pool.size())) != 1)
      throw std::runtime_error("no random bytes for a decision id");
    used = 0;
  }
  for (size_t i = 0; i < n; ++i) {
    out[i] = pool[used + i];
    pool[used + i] = 0;  // a byte is handed out once
  }
  used += n;
}

}  // namespace

std::string new_decision_id() {
  // The time part per thread: no lock on the request path. Two ids of one thread in the same
  // microsecond (or after the clock stepped back) take the next sub-millisecond step, so the
  // thread's ids strictly increase; ids of different threads are kept apart by the 70 random
  // bits.
  thread_local uint64_t last = 0;  // ms * 1024 + sub-millisecond step
  uint64_t us = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
  uint64_t now = (us / 1000) * kSubMillisecondSteps + us % 1000;
  if (now <= last) now = last + 1;  // may borrow from the next millisecond, never repeats
  last = now;
  std::array<uint8_t, 9> random{};  // 72 bits drawn, 70 kept
  fresh_random(random.data(), random.size());
  unsigned __int128 value = static_cast<unsigned __int128>(now) << kRandomBits;
  unsigned __int128 noise = 0;
  for (uint8_t byte : random) noise = (noise << 8) | byte;
  value |= noise & ((static_cast<unsigned __int128>(1) << kRandomBits) - 1);
  // 128 bits written as 26 base32 digits (130 bits, the top 2 zero).
  static const char* alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::string id(26, '0');
  for (int i = 25; i >= 0; --i) {
    id[static_cast<size_t>(i)] = alphabet[static_cast<unsigned>(value & 31)];
    value >>= 5;
  }
  return id;
}

}  // namespace kyc::service
