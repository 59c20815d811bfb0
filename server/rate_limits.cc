#include "server/rate_limits.h"

#include <algorithm>
#include <cmath>

namespace kyc::server {

namespace {

SteadyClock or_steady(SteadyClock clock) {
  if (clock) return clock;
  return [] { return std::chrono::steady_clock::now(); };
}

// Whole seconds, rounded up, at least 1: Retry-After never says 0 to a refused request.
std::chrono::seconds whole_seconds_at_least_one(double seconds) {
  return std::chrono::seconds(std::max<int64_t>(1, static_cast<int64_t>(std::ceil(seconds))));
}

}  // namespace

TokenBuckets::TokenBuckets(Rate rate, size_t max_entries, SteadyClock clock)
    : rate_{rate.per_second, std::max(rate.burst, 1.0)},
      clock_(or_steady(std::move(clock))),
      table_(max_entries) {}

std::chrono::seconds TokenBuckets::take(std::string_view key) {
  if (unlimited()) return std::chrono::seconds(0);
  SteadyTime now = clock_();
  return table_.upsert(key, [&](Bucket& b, bool fresh) {
    if (fresh) {
      b.tokens = rate_.burst;
    } else if (now > b.last) {
      double elapsed = std::chrono::duration<double>(now - b.last).count();
      b.tokens = std::min(rate_.burst, b.tokens + elapsed * rate_.per_second);
    }
    b.last = std::max(b.last, now);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return std::chrono::seconds(0);
    }
    return whole_seconds_at_least_one((1 - b.tokens) / rate_.per_second);
  });
}

BadTokenPauses::BadTokenPauses(BadTokenSettings settings, size_t max_entries, SteadyClock clock)
    : settings_(settings), clock_(or_steady(std::move(clock))), table_(max_entries) {}

std::chrono::seconds BadTokenPauses::paused(std::string_view address) {
  if (off()) return std::chrono::seconds(0);
  SteadyTime now = clock_();
  auto left = table_.find(address, [&](const Strikes& s) {
    if (now >= s.paused_until) return std::chrono::seconds(0);
    return whole_seconds_at_least_one(std::chrono::duration<double>(s.paused_until - now).count());
  });
  return left.value_or(std::chrono::seconds(0));
}

void BadTokenPauses::failed(std::string_view address) {
  if (off()) return;
  SteadyTime now = clock_();
  table_.upsert(address, [&](Strikes& s, bool fresh) {
    // A quiet window after the last pause ended (or the last failure) forgives the doublings.
    if (!fresh && now - std::max(s.last_failure, s.paused_until) > settings_.window)
      s.doublings = 0;
    if (fresh || now - s.window_start > settings_.window) {
      s.failures = 0;
      s.window_start = now;
    }
    s.last_failure = now;
    if (++s.failures < settings_.failures) return;
    // A success from the same address does not wipe the count: whoever holds one valid token
    // could otherwise interleave it with guesses and never be paused.
    auto pause = settings_.first_pause * (int64_t{1} << std::min(s.doublings, 30u));
    s.paused_until = now + std::min<std::chrono::milliseconds>(pause, settings_.max_pause);
    if (pause < settings_.max_pause) ++s.doublings;
    s.failures = 0;
    s.window_start = now;
  });
}

}  // namespace kyc::server
