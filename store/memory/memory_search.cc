// The search and the hourly counts over the records in memory: a scan, which is all a test's
// few thousand records need. The SQLite backend answers the same questions from indexes.
#include <algorithm>
#include <map>
#include <tuple>

#include "store/decision_summary.h"
#include "store/memory/memory_store.h"

namespace kyc::store::memory {

namespace {

bool matches(const StoredRecord& s, const DecisionSummary& d, const DecisionQuery& q) {
  const AuditRecord& r = s.record;
  auto any = [](const std::string& want, const std::string& have) {
    return want.empty() || want == have;
  };
  return d.is_decision && (q.before_seq == 0 || s.seq < q.before_seq) &&
         any(q.decision_id, r.decision_id) && any(q.account_id, r.account_id) &&
         any(q.outcome, d.outcome) && any(q.policy_version, d.policy_version) &&
         (q.reason.empty() ||
          std::find(d.reasons.begin(), d.reasons.end(), q.reason) != d.reasons.end()) &&
         (q.from.empty() || r.time >= q.from) && (q.to.empty() || r.time < q.to);
}

}  // namespace

Result<std::vector<DecisionRow>> MemoryStore::search(const DecisionQuery& query) {
  std::lock_guard lock(mutex_);
  std::vector<DecisionRow> out;
  for (auto it = records_.rbegin(); it != records_.rend() && out.size() < query.limit; ++it) {
    DecisionSummary d = summarize(it->record.stage, it->record.decision);
    if (!matches(*it, d, query)) continue;
    const AuditRecord& r = it->record;
    out.push_back({it->seq, r.decision_id, r.time, r.account_id, r.stage, d.outcome, d.reasons,
                   d.undetermined, d.policy_version, r.policy_sha256});
  }
  return out;
}

Result<std::vector<BucketCount>> MemoryStore::counts(const std::string& from, const std::string& to,
                                                     Bucket bucket) {
  std::lock_guard lock(mutex_);
  std::map<std::tuple<std::string, CountKind, std::string>, int64_t> sums;
  for (const auto& s : records_) {
    std::string hour = hour_of(s.record.time);
    if (!hour_in_range(hour, from, to)) continue;
    DecisionSummary d = summarize(s.record.stage, s.record.decision);
    if (!d.is_decision) continue;
    std::string key = bucket_of(hour, bucket);
    ++sums[{key, CountKind::Decisions, d.outcome}];
    for (const auto& code : d.reasons) ++sums[{key, CountKind::Reason, code}];
    for (const auto& code : d.undetermined) ++sums[{key, CountKind::Undetermined, code}];
    for (const auto& fact : d.missing) ++sums[{key, CountKind::Missing, fact}];
    if (!d.undetermined.empty()) ++sums[{key, CountKind::Incomplete, ""}];
  }
  std::vector<BucketCount> out;
  for (const auto& [key, count] : sums)
    out.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), count});
  return out;
}

}  // namespace kyc::store::memory
