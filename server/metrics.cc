#include "server/metrics.h"

#include <cstdio>
#include <sstream>

namespace kyc::server {

namespace {

// Whole microseconds as exact decimal seconds ("1234.567891"): a stream prints six significant
// digits, so after a few thousand seconds of traffic the sum stopped moving.
std::string exact_seconds(uint64_t microseconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%llu.%06llu",
                static_cast<unsigned long long>(microseconds / 1000000),
                static_cast<unsigned long long>(microseconds % 1000000));
  return text;
}

}  // namespace

void Metrics::request_done(const std::string& route, int status,
                           std::chrono::microseconds latency) {
  double seconds = static_cast<double>(latency.count()) / 1e6;
  size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  latency_[bucket].fetch_add(1, std::memory_order_relaxed);
  latency_count_.fetch_add(1, std::memory_order_relaxed);
  latency_sum_us_.fetch_add(static_cast<uint64_t>(latency.count()), std::memory_order_relaxed);
  Shard& mine = shard();
  std::lock_guard lock(mine.mutex);
  auto it = mine.requests.find(route);  // no allocation once the route has been seen
  if (it == mine.requests.end()) it = mine.requests.emplace(route, std::map<int, uint64_t>{}).first;
  ++it->second[status];
}

Metrics::Shard& Metrics::shard() {
  // One shard per (thread, Metrics) pair; the cache is keyed by this object's address.
  thread_local std::map<const Metrics*, Shard*> mine;
  auto it = mine.find(this);
  if (it != mine.end()) return *it->second;
  std::lock_guard lock(shards_mutex_);
  Shard* s = shards_.emplace_back(std::make_unique<Shard>()).get();
  mine[this] = s;
  return *s;
}

void Metrics::decision(engine::Outcome outcome) {
  outcomes_[static_cast<size_t>(outcome)].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::reason_fired(const std::string& code) {
  Shard& mine = shard();
  std::lock_guard lock(mine.mutex);
  ++mine.reasons[code];
}

void Metrics::upload_stage(const std::string& stage, double ms) {
  Shard& mine = shard();
  std::lock_guard lock(mine.mutex);
  auto& [sum, count] = mine.stages[stage];
  sum += ms;
  ++count;
}

void Metrics::reload(bool ok) {
  reloads_.fetch_add(1, std::memory_order_relaxed);
  if (!ok) reload_failures_.fetch_add(1, std::memory_order_relaxed);
}

std::string Metrics::render() const {
  std::ostringstream out;
  out << "# HELP kycd_requests_total HTTP requests by route and status.\n"
      << "# TYPE kycd_requests_total counter\n";
  {
    std::map<std::pair<std::string, int>, uint64_t> requests;
    std::map<std::string, uint64_t> reasons;
    std::map<std::string, std::pair<double, uint64_t>> stages;
    std::lock_guard lock(shards_mutex_);
    for (const auto& shard : shards_) {
      std::lock_guard shard_lock(shard->mutex);
      for (const auto& [route, by_status] : shard->requests)
        for (const auto& [status, n] : by_status) requests[{route, status}] += n;
      for (const auto& [code, n] : shard->reasons) reasons[code] += n;
      for (const auto& [stage, total] : shard->stages) {
        stages[stage].first += total.first;
        stages[stage].second += total.second;
      }
    }
    for (const auto& [key, n] : requests)
      out << "kycd_requests_total{route=\"" << key.first << "\",status=\"" << key.second << "\"} "
          << n << "\n";
    out << "# HELP kycd_reasons_total Fired reasons by code.\n# TYPE kycd_reasons_total counter\n";
    for (const auto& [code, n] : reasons)
      out << "kycd_reasons_total{code=\"" << code << "\"} " << n << "\n";
    out << "# HELP kycd_upload_stage_seconds Where uploads spend their time, by stage.\n"
        << "# TYPE kycd_upload_stage_seconds summary\n";
    for (const auto& [stage, total] : stages) {
      char sum[32];
      std::snprintf(sum, sizeof sum, "%.6f", total.first / 1000);
      out << "kycd_upload_stage_seconds_sum{stage=\"" << stage << "\"} " << sum << "\n"
          << "kycd_upload_stage_seconds_count{stage=\"" << stage << "\"} " << total.second
          << "\n";
    }
  }
  out << "# HELP kycd_request_duration_seconds Time from request read to response queued.\n"
      << "# TYPE kycd_request_duration_seconds histogram\n";
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += latency_[i].load(std::memory_order_relaxed);
    out << "kycd_request_duration_seconds_bucket{le=\"" << kBuckets[i] << "\"} " << cumulative
        << "\n";
  }
  cumulative += latency_[kBuckets.size()].load(std::memory_order_relaxed);
  out << "kycd_request_duration_seconds_bucket{le=\"+Inf\"} " << cumulative << "\n"
      << "kycd_request_duration_seconds_sum " << exact_seconds(latency_sum_us_.load()) << "\n"
      << "kycd_request_duration_seconds_count " << latency_count_.load() << "\n";
  out << "# HELP kycd_decisions_total Decisions by outcome.\n# TYPE kycd_decisions_total counter\n";
  for (size_t i = 0; i < outcomes_.size(); ++i)
    out << "kycd_decisions_total{outcome=\""
        << engine::outcome_name(static_cast<engine::Outcome>(i)) << "\"} " << outcomes_[i].load()
        << "\n";
  out << "# HELP kycd_policy_reloads_total Policy reloads attempted.\n# TYPE "
         "kycd_policy_reloads_total counter\n"
      << "kycd_policy_reloads_total " << reloads_.load() << "\n"
      << "# HELP kycd_policy_reload_failures_total Policy reloads that kept the running policy.\n"
      << "# TYPE kycd_policy_reload_failures_total counter\n"
      << "kycd_policy_reload_failures_total " << reload_failures_.load() << "\n"
      << "# HELP kycd_in_flight_requests Requests being handled.\n# TYPE kycd_in_flight_requests "
         "gauge\n"
      << "kycd_in_flight_requests " << in_flight.load() << "\n"
      << "# HELP kycd_open_connections Open client connections.\n# TYPE kycd_open_connections "
         "gauge\n"
      << "kycd_open_connections " << connections.load() << "\n"
      << "# HELP kycd_tls_handshakes_total TLS handshakes completed.\n"
      << "# TYPE kycd_tls_handshakes_total counter\n"
      << "kycd_tls_handshakes_total " << tls_handshakes.load() << "\n"
      << "# HELP kycd_tls_handshake_failures_total TLS handshakes failed (timeout, protocol, "
         "plain HTTP, client certificate).\n"
      << "# TYPE kycd_tls_handshake_failures_total counter\n"
      << "kycd_tls_handshake_failures_total " << tls_handshake_failures.load() << "\n";
  out << "# HELP kycd_throttled_requests_total Requests answered 429, by cause.\n"
      << "# TYPE kycd_throttled_requests_total counter\n";
  const char* throttle_causes[] = {"token_rate", "address_rate", "bad_token_pause"};
  for (size_t i = 0; i < throttled_.size(); ++i)
    out << "kycd_throttled_requests_total{cause=\"" << throttle_causes[i] << "\"} "
        << throttled_[i].load() << "\n";
  out << "# HELP kycd_refused_connections_total Connections answered 503 and closed at accept, "
         "by cause.\n"
      << "# TYPE kycd_refused_connections_total counter\n";
  const char* refusal_causes[] = {"max_connections", "per_address", "ops_connections"};
  for (size_t i = 0; i < refused_.size(); ++i)
    out << "kycd_refused_connections_total{cause=\"" << refusal_causes[i] << "\"} "
        << refused_[i].load() << "\n";
  return out.str();
}

}  // namespace kyc::server
