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
#include "service/personal_seal.h"
#include "service/policy_history.h"
#include "store/decision_log.h"

namespace kyc::service {

using common::Result;

struct ReplayOptions {
  std::string from, to;  // RFC 3339 bounds on the decision time; "" = unbounded
  std::shared_ptr<const engine::CompiledPolicy> candidate;  // null: replay with the recorded policy
  size_t examples = 3;  // examples kept per kind of change
  std::function<void(int64_t done)> progress;               // called every 10,000 records
  PersonalSeal* seal = nullptr;  // opens sealed personal facts; null: a sealed record fails
  // Asked before each record; true (the service is stopping, the caller left): the replay
  // ends there with an error.
  std::function<bool()> stop;
};

struct ReplayReport {
  int64_t records = 0;      // decisions replayed
  int64_t activations = 0;  // policy activations in the range (not replayed)
  int64_t matched = 0;
  // Records whose account (or day) was erased: replayed without its personal facts, and
  // checked for everything that does not read them (matched or a mismatch as well).
  int64_t erased = 0;
  std::vector<std::string> mismatches;  // "DECISION_ID: what differs" (first examples)
  int64_t mismatch_count = 0;
  std::optional<Impact> impact;  // with a candidate policy: what it would have changed
};

// A recorded decision evaluated again.
struct Replayed {
  std::string decision;             // JSON, personal values withheld as in the record
  std::vector<std::string> erased;  // facts that could not be read: their key was destroyed
  std::string erased_at;
};

// The decision JSON that `policy` gives for a stored record (meta fields taken from the record),
// or why the record cannot be replayed (unknown facts, bad JSON, sealed facts without `seal`).
// `locale` other than "" renders the reason texts in that locale instead of the recorded one.
// `withhold_personal` false leaves the opened personal values in the messages (a notice for
// an auditor); the result then differs from the record where a message quotes one.
Result<Replayed> replay_decision(const store::StoredRecord& record,
                                 const engine::CompiledPolicy& policy,
                                 const std::string& locale = "", PersonalSeal* seal = nullptr,
                                 bool withhold_personal = true);

// A policy as the log stores it, compiled: an error when it no longer loads, or its text and
// files are not the ones its sha256 names.
Result<std::shared_ptr<const engine::CompiledPolicy>> compile_recorded(
    const RecordedSource& source);
// The policy a record was decided with, compiled from the text stored in the log.
Result<std::shared_ptr<const engine::CompiledPolicy>> recorded_policy(store::DecisionLog& log,
                                                                      const std::string& sha256);

// Replays every record in the range. Recorded policies are compiled once per sha256. An error
// only when the log cannot be read; records that do not replay are counted as mismatches.
Result<ReplayReport> replay(store::DecisionLog& log, const ReplayOptions& options);

// The report as JSON (`kyc replay --format json`, `POST /v1/replay`): counts, the first
// mismatches, and with a candidate its impact (service/impact.h).
boost::json::object report_json(const ReplayReport& report, const ReplayOptions& options);

// One record against its recorded policy.
struct OneReplay {
  std::string difference;  // "" when it matches (for an erased record: all that can be checked)
  std::vector<std::string> erased;
  std::string erased_at;
};
OneReplay replay_one(store::DecisionLog& log, const store::StoredRecord& record,
                     PersonalSeal* seal = nullptr);

}  // namespace kyc::service
