// The impact of a candidate policy on recorded decisions, for a manager to sign: outcome
// counts and rates before and after, the transition matrix, per reason how often it fired
// before and after and which reasons caused each change, the facts the candidate missed
// (and those history never recorded), and a few examples of each change with their evidence.
// Collected while replaying (service/replay.h), then written as one JSON object that the text
// and HTML reports (service/impact_report.h) render, so every format shows the same numbers.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "engine/compiled_policy.h"
#include "store/records.h"

namespace kyc::service {

class Impact {
 public:
  Impact(std::shared_ptr<const engine::CompiledPolicy> candidate, size_t examples_per_change);

  // One recorded decision: `before` as answered by `recorded` (its policy), `after` as the
  // candidate decides it.
  void add(const store::StoredRecord& record, const engine::CompiledPolicy& recorded,
           const boost::json::object& before, const boost::json::object& after);
  // A record the candidate could not decide (its facts do not read): counted, not compared.
  void not_replayed() { ++not_replayed_; }

  int64_t decisions() const { return decisions_; }
  int64_t changed() const { return changed_; }
  // The report; `from` and `to` are the time range replayed ("" = unbounded).
  boost::json::object json(const std::string& from, const std::string& to) const;

 private:
  struct ReasonCounts {
    int64_t fired_before = 0, fired_after = 0, undetermined_before = 0, undetermined_after = 0;
    std::map<std::string, int64_t> missing_after;  // fact -> decisions it was missing from
  };
  struct Change {
    int64_t decisions = 0;
    std::map<std::pair<std::string, std::string>, int64_t> causes;  // (code, how) -> decisions
    std::vector<boost::json::object> examples;
  };

  std::shared_ptr<const engine::CompiledPolicy> candidate_;
  size_t examples_per_change_;
  int64_t decisions_ = 0, changed_ = 0, not_replayed_ = 0;
  std::map<std::string, std::map<std::string, int64_t>> matrix_;  // before -> after -> n
  std::map<std::string, ReasonCounts> reasons_;
  std::map<std::pair<std::string, std::string>, Change> changes_;  // (before, after)
  // Facts the candidate declares that no record holds and no recorded policy declared: the
  // rules on them cannot be judged on this history. (An optional fact the recorded policy
  // read too, and no caller sent, was judged the same way then.)
  std::set<std::string> unseen_facts_;
};

}  // namespace kyc::service
