// Change control: every policy that becomes the running one is a record in the audit log
// (stage "activation"), chained like decisions, so `kyc audit verify` covers it and
// `kyc policy history` lists who or what activated which version, when, after which one.
#pragma once

#include <optional>
#include <string>

#include <functional>

#include "store/decision_log.h"
#include "store/records.h"

namespace kyc::service {

struct Activation {
  std::string time;  // RFC 3339, UTC
  std::string version;
  std::string sha256;           // the policy: its text and the files it reads
  std::string text_sha256;      // the text alone: a changed text needs a new version
  std::string previous_sha256;  // the policy it replaced; "" for the first
  std::string trigger;          // "start", "file watch", "SIGHUP", "admin API" or "console"
  std::string by;               // who: the admin token's name ("" for the others)
  std::string file;             // the policy file's name in its folder
  std::string note;             // why, as the admin wrote it when deploying ("" for the others
                                // and in records written before notes were)
};

// The audit record of an activation: its JSON as the record's decision, the policy's text
// and files stored with it (so a diff or a replay can read them).
store::AuditRecord activation_record(const Activation& a, std::shared_ptr<const std::string> text,
                                     std::shared_ptr<const std::vector<store::PolicyFile>> files);
// The activation a record holds; empty for a decision, or a record that does not read.
std::optional<Activation> read_activation(const store::StoredRecord& record);

class PolicyStore;

// Connects change control to the audit log: resumes from the last recorded activation, and
// appends every new one before the policy runs. `on_error` hears of an append that failed.
common::Result<void> record_activations(PolicyStore& policies, store::DecisionLog& log,
                                        std::function<void(const std::string&)> on_error);

// Replicas on one store: whenever another replica records an activation, this one runs the
// policy activated last, compiled from the text and files the log keeps (within moments:
// store::DecisionLog::watch_activations). `on_followed` hears of each policy taken up, and
// `on_error` of one that could not be (the running policy then stays). Following stops when
// the follower goes (before the policy store it updates).
class ActivationFollower {
 public:
  ActivationFollower(PolicyStore& policies, store::DecisionLog& log,
                     std::function<void(const Activation&)> on_followed,
                     std::function<void(const std::string&)> on_error);
  ~ActivationFollower() { log_.watch_activations({}); }
  ActivationFollower(const ActivationFollower&) = delete;
  ActivationFollower& operator=(const ActivationFollower&) = delete;

 private:
  store::DecisionLog& log_;
};

}  // namespace kyc::service
