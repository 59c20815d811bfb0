// A policy deployed from the console's editor: loaded, tested, checked for a new version,
// written and activated in one step, with a note that says why. All or nothing: a refusal
// writes nothing, and an activation that fails after the write puts the previous files back.
// PolicyStore::deploy (policy_deploy.cc) does it under the store's lock, so that neither the
// file watcher nor a reload activates the written file first, without the note.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "dsl/diagnostics.h"
#include "dsl/source.h"
#include "service/policy_test_run.h"

namespace kyc::service {

struct ActivePolicy;

struct Deployment {
  std::string text;                  // the new policy file
  std::optional<std::string> tests;  // the new test file; none: keep the one beside the policy
  std::string by;                    // who: the admin token's name
  std::string note;                  // why (the caller bounds it and requires one)
};

enum class DeployStatus {
  Deployed,
  InvalidPolicy,     // the text does not load: `policy_diagnostics`
  NoTests,           // no test file, or one without a case
  TestsFailed,       // `tests` says which
  VersionRequired,   // the text changed, its version did not
  WriteFailed,       // the files could not be written; nothing changed
  ActivationFailed,  // written, then refused on activation: the previous files are back
};

struct DeployResult {
  DeployStatus status = DeployStatus::Deployed;
  std::string detail;                                    // why not, in words
  std::shared_ptr<const dsl::SourceFile> policy_source;  // InvalidPolicy: the text, and
  dsl::Diagnostics policy_diagnostics;                   // its problems
  std::optional<TestRun> tests;                          // the cases run, once it loaded
  std::shared_ptr<const ActivePolicy> active;            // Deployed: the policy now running
  // Deployed: a new policy runs and its activation is recorded with the note (false: the
  // files were written but the policy is the one already running).
  bool activated = false;
};

}  // namespace kyc::service
