// Replay: re-evaluate recorded facts with the recorded clock and the recorded policy text, and
// compare with the decision that was answered, byte for byte. With a candidate policy: the
// impact a change would have had on past decisions.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "common/result.h"
#include "engine/compiled_policy.h"
#include "service/impact.h"
#include "store/decision_log.h"

namespace kyc::service {

using common::Result;

struct ReplayOptions {
  std::string from, to;  // RFC 3339 bounds on the decision time; "" = unbounded
  std::shared_ptr<const engine::CompiledPolicy> candidate;  // null: replay with the recorded policy
  size_t examples = 3;  // examples kept per kind of change
  std::function<void(int64_t done)> progress;               // called every 10,000 records
};

struct ReplayReport {
  int64_t records = 0;      // decisions replayed
  int64_t activations = 0;  // policy activations in the range (not replayed)
  int64_t matched = 0;
  std::vector<std::string> mismatches;  // "DECISION_ID: what differs" (first examples)
  int64_t mismatch_count = 0;
  std::optional<Impact> impact;  // with a candidate policy: what it would have changed
};

// The decision JSON that `policy` gives for a stored record (meta fields taken from the record),
// or why the record cannot be replayed (unknown facts, bad JSON). `locale` other than ""
// renders the reason texts in that locale instead of the recorded one.
Result<std::string> replay_decision(const store::StoredRecord& record,
                                    const engine::CompiledPolicy& policy,
                                    const std::string& locale = "");

// The policy a record was decided with, compiled from the text stored in the log.
Result<std::shared_ptr<const engine::CompiledPolicy>> recorded_policy(store::DecisionLog& log,
                                                                      const std::string& sha256);

// Replays every record in the range. Recorded policies are compiled once per sha256. An error
// only when the log cannot be read; records that do not replay are counted as mismatches.
Result<ReplayReport> replay(store::DecisionLog& log, const ReplayOptions& options);

// The report as JSON (`kyc replay --format json`, `POST /v1/replay`): counts, the first
// mismatches, and with a candidate its impact (service/impact.h).
boost::json::object report_json(const ReplayReport& report, const ReplayOptions& options);

// One record against its recorded policy: "" when it matches, else what differs (or why it
// cannot be replayed).
std::string replay_one(store::DecisionLog& log, const store::StoredRecord& record);

}  // namespace kyc::service
