#include "service/decision_stats.h"

#include <algorithm>
#include <cstdint>

namespace kyc::service {

namespace {

DecisionStats::Counts ranked(const std::map<std::string, int64_t>& counts, size_t keep) {
  DecisionStats::Counts out(counts.begin(), counts.end());
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  if (out.size() > keep) out.resize(keep);
  return out;
}

std::string bucket_start(const std::string& key) {
  return key.size() == 10 ? key + "T00:00:00Z" : key + ":00:00Z";
}

}  // namespace

common::Result<DecisionStats> decision_stats(store::DecisionLog& log, const std::string& from,
                                             const std::string& to, store::Bucket bucket) {
  auto counts = log.counts(from, to, bucket);
  if (!counts) return counts.error();
  DecisionStats stats;
  std::map<std::string, DecisionStats::Bucket> buckets;
  std::map<std::string, int64_t> reasons, undetermined, missing;
  for (const auto& c : *counts) {
    switch (c.kind) {
      case store::CountKind::Decisions: {
        auto& b = buckets[c.bucket];
        b.start = bucket_start(c.bucket);
        b.total += c.count;
        b.outcomes[c.name] += c.count;
        stats.total += c.count;
        break;
      }
      case store::CountKind::Reason:
        reasons[c.name] += c.count;
        break;
      case store::CountKind::Undetermined:
        undetermined[c.name] += c.count;
        break;
      case store::CountKind::Missing:
        missing[c.name] += c.count;
        break;
      case store::CountKind::Incomplete:
        stats.undetermined += c.count;
        break;
    }
  }
  for (auto& [key, b] : buckets) stats.buckets.push_back(std::move(b));
  stats.reasons = ranked(reasons, kTopReasons);
  stats.undetermined_reasons = ranked(undetermined, SIZE_MAX);
  stats.missing_facts = ranked(missing, SIZE_MAX);
  // Activations are few (one per deployment): the log lists them all from a partial index.
  auto activations = log.activations();
  if (!activations) return activations.error();
  for (const auto& record : *activations)
    if (auto a = read_activation(record))
      if ((from.empty() || a->time >= from) && (to.empty() || a->time < to))
        stats.activations.push_back(std::move(*a));
  return stats;
}

}  // namespace kyc::service
