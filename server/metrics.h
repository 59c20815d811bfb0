// Counters for GET /metrics in Prometheus text format. Hot counters are atomics; labelled
// families with an open set of labels (route x status, reason code) sit behind a mutex that
// is held for a map increment only.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/outcome.h"

namespace kyc::server {

class Metrics {
 public:
  void request_done(const std::string& route, int status, std::chrono::microseconds latency);
  void decision(engine::Outcome outcome);
  void reason_fired(const std::string& code);
  void reload(bool ok);
  // One stage of an upload (image worker queue, a side's image analysis, the text), in ms:
  // a sum and a count per stage, so that a dashboard shows where uploads spend their time.
  void upload_stage(const std::string& stage, double ms);
  // Requests answered 429, and connections refused at accept, by cause.
  enum class Throttle { kToken, kAddress, kBadTokens };
  void throttled(Throttle cause) {
    throttled_[static_cast<size_t>(cause)].fetch_add(1, std::memory_order_relaxed);
  }
  enum class Refusal { kMaxConnections, kPerAddress, kOpsConnections };
  void connection_refused(Refusal cause) {
    refused_[static_cast<size_t>(cause)].fetch_add(1, std::memory_order_relaxed);
  }
  std::atomic<int64_t> in_flight{0};
  std::atomic<int64_t> connections{0};
  std::atomic<uint64_t> tls_handshakes{0}, tls_handshake_failures{0};

  std::string render() const;

 private:
  // Latency buckets in seconds, as Prometheus histograms want them (upper bounds).
  static constexpr std::array<double, 12> kBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                      0.01,   0.025,   0.05,   0.1,   0.5,    1.0};
  std::array<std::atomic<uint64_t>, kBuckets.size() + 1> latency_{};
  std::atomic<uint64_t> latency_count_{0};
  std::atomic<uint64_t> latency_sum_us_{0};
  std::array<std::atomic<uint64_t>, 4> outcomes_{};
  std::atomic<uint64_t> reloads_{0}, reload_failures_{0};
  std::array<std::atomic<uint64_t>, 3> throttled_{};
  std::array<std::atomic<uint64_t>, 3> refused_{};
  // Labelled counters are sharded per thread: each thread locks only its own shard (never
  // contended on the request path); render() sums the shards.
  struct Shard {
    std::mutex mutex;
    std::map<std::string, std::map<int, uint64_t>, std::less<>> requests;  // route -> status
    std::map<std::string, uint64_t> reasons;
    std::map<std::string, std::pair<double, uint64_t>, std::less<>> stages;  // ms sum, count
  };
  Shard& shard();
  mutable std::mutex shards_mutex_;
  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace kyc::server
