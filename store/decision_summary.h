// The columns a search filters on, taken from a record's decision JSON when it is written
// (and once from every older record when a log is upgraded). They sit beside the chained
// content, never in it: chain.h hashes the record as it was, so verify passes on old and new
// logs alike.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/decision_query.h"
#include "store/records.h"

namespace kyc::store {

// The summary a record carries, or else the one its decision JSON gives.
DecisionSummary summarize(const std::string& stage, std::string_view decision_json);
inline DecisionSummary summary_of(AuditRecord& r) {
  return r.summary ? std::move(*r.summary) : summarize(r.stage, r.decision);
}

// Codes and fact names hold no space: a list is kept as one space-separated column.
std::string join_words(const std::vector<std::string>& words);
std::vector<std::string> split_words(std::string_view text);

// The hour a record's RFC 3339 time falls in, "YYYY-MM-DDTHH": the key of the hourly counts.
inline std::string hour_of(const std::string& time) { return time.substr(0, 13); }
// Whether the hour starts in [from, to) ("" = unbounded): the hours counts() sums.
inline bool hour_in_range(const std::string& hour, const std::string& from, const std::string& to) {
  std::string start = hour + ":00:00Z";
  return (from.empty() || start >= from) && (to.empty() || start < to);
}
inline std::string bucket_of(const std::string& hour, Bucket bucket) {
  return bucket == Bucket::Day ? hour.substr(0, 10) : hour;
}

}  // namespace kyc::store
