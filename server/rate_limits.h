// Abuse limits as plain data structures, without sockets or HTTP: token buckets per key (a
// bearer token's hash, a client address) and the pauses that repeated unknown tokens earn an
// address. Both live in a BoundedTable: sharded (a mutex per shard, so threads rarely meet) and
// bounded (the least recently seen key is dropped), so that a flood of distinct addresses or
// tokens cannot grow memory. A dropped key starts afresh, which costs a flood more than it
// gains it: it needs max_entries other keys in between. The clock is injected for tests.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <functional>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace kyc::server {

using SteadyTime = std::chrono::steady_clock::time_point;
using SteadyClock = std::function<SteadyTime()>;

// String keys to Values, at most about max_entries of them (rounded up to whole shards).
template <class Value>
class BoundedTable {
 public:
  explicit BoundedTable(size_t max_entries)
      : shards_(kShards), per_shard_(std::max<size_t>(1, (max_entries + kShards - 1) / kShards)) {}

  // Runs fn(value, fresh) under the key's shard lock on its entry, made (fresh = true, value
  // default-constructed) when absent; the entry becomes the shard's most recent.
  template <class Fn>
  auto upsert(std::string_view key, Fn&& fn) {
    Shard& s = shard(key);
    std::lock_guard lock(s.mutex);
    auto it = s.index.find(key);
    bool fresh = it == s.index.end();
    if (fresh) {
      s.order.emplace_front(std::string(key), Value{});
      s.index.emplace(std::string_view(s.order.front().first), s.order.begin());
      if (s.order.size() > per_shard_) {
        s.index.erase(std::string_view(s.order.back().first));
        s.order.pop_back();
      }
    } else if (it->second != s.order.begin()) {
      s.order.splice(s.order.begin(), s.order, it->second);
    }
    return fn(s.order.front().second, fresh);
  }

  // fn(value) on the key's entry if there is one (its recency unchanged), else nullopt.
  template <class Fn>
  auto find(std::string_view key, Fn&& fn) -> std::optional<decltype(fn(std::declval<Value&>()))> {
    Shard& s = shard(key);
    std::lock_guard lock(s.mutex);
    auto it = s.index.find(key);
    if (it == s.index.end()) return std::nullopt;
    return fn(it->second->second);
  }

  size_t size() const {
    size_t n = 0;
    for (const Shard& s : shards_) {
      std::lock_guard lock(s.mutex);
      n += s.order.size();
    }
    return n;
  }
  size_t max_entries() const { return per_shard_ * kShards; }

 private:
  static constexpr size_t kShards = 16;
  struct Shard {
    mutable std::mutex mutex;
    std::list<std::pair<std::string, Value>> order;  // most recently seen first
    // Views of the keys in `order` (list nodes do not move).
    std::unordered_map<std::string_view,
                       typename std::list<std::pair<std::string, Value>>::iterator>
        index;
  };
  Shard& shard(std::string_view key) {
    return shards_[std::hash<std::string_view>{}(key) % kShards];
  }
  std::vector<Shard> shards_;
  size_t per_shard_;
};

// A rate: `per_second` requests on average, up to `burst` at once. per_second 0: unlimited.
struct Rate {
  double per_second = 0;
  double burst = 0;
};

// One token bucket per key: it holds up to `burst` requests and refills at `per_second`; a
// request takes one. A key not seen before starts full.
class TokenBuckets {
 public:
  TokenBuckets(Rate rate, size_t max_entries, SteadyClock clock = {});
  // 0 when the request may go (it took a token); otherwise the whole seconds until the bucket
  // holds one again, at least 1: the Retry-After to answer.
  std::chrono::seconds take(std::string_view key);
  bool unlimited() const { return rate_.per_second <= 0; }
  size_t size() const { return table_.size(); }

 private:
  struct Bucket {
    double tokens = 0;
    SteadyTime last{};
  };
  Rate rate_;
  SteadyClock clock_;
  BoundedTable<Bucket> table_;
};

// What repeated unknown tokens cost an address: `failures` of them within `window` pause it
// for first_pause, and each further pause doubles, up to max_pause. An address with no unknown
// token for a window (after its pause ended) starts again from first_pause. failures 0: off.
struct BadTokenSettings {
  size_t failures = 20;
  std::chrono::milliseconds window{60000};
  std::chrono::milliseconds first_pause{1000};
  std::chrono::milliseconds max_pause{60000};
};

class BadTokenPauses {
 public:
  BadTokenPauses(BadTokenSettings settings, size_t max_entries, SteadyClock clock = {});
  // 0 when the address is not paused; otherwise the whole seconds its pause has left (>= 1).
  std::chrono::seconds paused(std::string_view address);
  // The address presented a token that is not in the tokens file.
  void failed(std::string_view address);
  bool off() const { return settings_.failures == 0; }
  size_t size() const { return table_.size(); }

 private:
  struct Strikes {
    size_t failures = 0;  // in the window that began at window_start
    SteadyTime window_start{};
    SteadyTime last_failure{};
    SteadyTime paused_until{};
    unsigned doublings = 0;  // the next pause is first_pause << doublings
  };
  BadTokenSettings settings_;
  SteadyClock clock_;
  BoundedTable<Strikes> table_;
};

}  // namespace kyc::server
