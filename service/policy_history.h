// Change control read back from the audit log: the activations in order, a policy named by its
// version or a sha256 prefix, a recorded policy's text and files, and what changed between two
// of them. `kyc policy history|diff` and the console (GET /v1/policies/history, /diff,
// /recorded/{sha256}) share it, so both name and show a policy the same way.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "common/result.h"
#include "service/activations.h"
#include "store/decision_log.h"
#include "store/records.h"

namespace kyc::service {

// Every recorded activation, oldest first (a record that does not read is left out).
common::Result<std::vector<Activation>> policy_history(store::DecisionLog& log);

// One entry of the history as JSON: time, version, sha256, previous_sha256, trigger, by, note,
// file.
boost::json::object activation_json(const Activation& a);

// The latest activation of the policy `name` names: its version, else a prefix of its sha256 of
// at least kMinShaPrefix digits (fewer would name several). Null when none.
inline constexpr size_t kMinShaPrefix = 6;
const Activation* find_activation(const std::vector<Activation>& history, const std::string& name);

// The first 12 digits, as history and diff show a sha256 ("-" for none).
std::string short_sha256(const std::string& sha256);

// A policy as the log stored it, uncompiled (replay.h's recorded_policy compiles it).
struct RecordedSource {
  std::string sha256;
  std::string text;
  std::vector<store::PolicyFile> files;  // the lists and tables it read
};
// The policy stored with this exact sha256; nullopt when the log holds none.
common::Result<std::optional<RecordedSource>> recorded_source(store::DecisionLog& log,
                                                              const std::string& sha256);

// "" when the policy stored under `sha256` is whole: its text and every file it read are there
// and hash to it (store::VerifyOptions::check_policy); else what is wrong, as a sentence.
std::string check_recorded_policy(store::DecisionLog& log, const std::string& sha256);
// The same as the chain check takes it (VerifyOptions::check_policy), reading `log`.
inline auto recorded_policy_check(store::DecisionLog& log) {
  return [&log](const std::string& sha256) { return check_recorded_policy(log, sha256); };
}

// What changed from `old_policy` (activated as `from`) to `new_policy` (as `to`): a unified diff
// of the texts, then of every list and table either read (added, removed or changed). "" when
// they are the same.
std::string policy_diff(const Activation& from, const RecordedSource& old_policy,
                        const Activation& to, const RecordedSource& new_policy);

}  // namespace kyc::service
