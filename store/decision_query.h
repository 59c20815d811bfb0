// What the console's search and overview ask of the decision log: a filtered, paged list of
// decisions as flat columns (no facts), and decision counts per hour. Plain values, the same
// for every backend; each backend answers from what it keeps beside the chained records
// (decision_summary.h), never by reading every record.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kyc::store {

// Every filter is optional ("" = any). Activations are never decisions: no query returns them.
struct DecisionQuery {
  std::string decision_id;
  std::string account_id;
  std::string outcome;
  std::string reason;  // a fired reason's code
  std::string policy_version;
  std::string from, to;    // RFC 3339 UTC, from <= time < to
  int64_t before_seq = 0;  // paging: only records older than this one (0 = from the newest)
  size_t limit = 50;
};

// One decision as a list shows it.
struct DecisionRow {
  int64_t seq = 0;
  std::string decision_id;
  std::string time;
  std::string account_id;
  std::string stage;
  std::string outcome;
  std::vector<std::string> reasons;       // fired codes, as the decision lists them
  std::vector<std::string> undetermined;  // undetermined codes
  std::string policy_version;
  std::string policy_sha256;
};

// What the hourly counts count. Decisions counts per outcome; Reason and Undetermined per
// code; Missing per fact (decisions that missed it); Incomplete the decisions with at least
// one undetermined reason (name "").
enum class CountKind { Decisions, Reason, Undetermined, Missing, Incomplete };

// A sum of hourly counts over one bucket: the bucket's first hour, "YYYY-MM-DDTHH" (hour
// buckets) or "YYYY-MM-DD" (day buckets).
struct BucketCount {
  std::string bucket;
  CountKind kind = CountKind::Decisions;
  std::string name;
  int64_t count = 0;
};

enum class Bucket { Hour, Day };

}  // namespace kyc::store
