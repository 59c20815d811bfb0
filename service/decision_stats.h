// The overview of a time range: decisions per bucket by outcome, the reasons that fire most,
// how many decisions stayed undetermined and which facts they missed, and the policies that
// became active meanwhile (so a change in the chart can be read against a deployment). Built
// from the log's hourly counts and its activation records: no decision is read.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "service/activations.h"
#include "store/decision_log.h"

namespace kyc::service {

struct DecisionStats {
  struct Bucket {
    std::string start;  // RFC 3339 UTC: the bucket's first hour
    int64_t total = 0;
    std::map<std::string, int64_t> outcomes;
  };
  using Counts = std::vector<std::pair<std::string, int64_t>>;  // most first, then by name

  std::vector<Bucket> buckets;  // oldest first; a bucket without decisions is not listed
  int64_t total = 0;
  Counts reasons;                       // fired, the kTopReasons most frequent
  int64_t undetermined = 0;             // decisions with at least one undetermined reason
  Counts undetermined_reasons;          // by code
  Counts missing_facts;                 // decisions that missed each fact
  std::vector<Activation> activations;  // oldest first
};

inline constexpr size_t kTopReasons = 20;

// Over the hours that start in [from, to) (RFC 3339 UTC; "" = unbounded).
common::Result<DecisionStats> decision_stats(store::DecisionLog& log, const std::string& from,
                                             const std::string& to, store::Bucket bucket);

}  // namespace kyc::service
