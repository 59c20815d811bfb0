// The running policy. Requests take a snapshot (one atomic shared_ptr load) and keep it for
// their whole life, so a reload never changes a policy under a request and never blocks one.
// A reload that fails keeps the running policy and records why: in positions and words only,
// never the text of a line or an absolute path, since any role may read it. The file and the
// lists it loads are read only where they are, inside the policy folder: a link that leads out
// of it is refused.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <functional>

#include "dsl/policy_loader.h"
#include "engine/compiled_policy.h"
#include "service/activations.h"
#include "service/policy_deploy.h"
#include "store/records.h"

namespace kyc::service {

struct ActivePolicy {
  std::shared_ptr<const engine::CompiledPolicy> compiled;
  std::shared_ptr<const std::string> source_text;  // stored in the audit log once per sha256
  // The lists and tables it read (list(...), table(...)), stored with the text.
  std::shared_ptr<const std::vector<store::PolicyFile>> files;
  std::string file;       // its name in the policy folder (never an absolute path)
  std::string loaded_at;  // RFC 3339, UTC
};

class PolicyStore {
 public:
  // Hears of every reload attempt: what asked, and why it failed ("" when the policy now
  // running is the file's). The metrics count them; the service logs each one, so that a
  // list saved broken is seen in the log, not only in /v1/policies.
  using OnReload = std::function<void(const std::string& trigger, const std::string& error)>;
  PolicyStore(std::string folder, std::string file, OnReload on_reload = {});
  ~PolicyStore();

  // Loads the file again; true when the new policy is now running. `trigger` says what asked
  // ("start", "file watch", "SIGHUP", "admin API"), `by` who (an admin token's name).
  bool reload(const std::string& trigger = "start", const std::string& by = "");
  // Change control. Tests: a policy whose X.test beside it fails is not activated.
  void require_tests(bool on) { require_tests_ = on; }
  // Hears of every policy that becomes the running one, before it runs (the audit log).
  void on_activate(std::function<void(const Activation&, const ActivePolicy&)> f) {
    on_activate_ = std::move(f);
  }
  // The last activation the audit log recorded: a restart on the same policy is no new
  // activation, and a text changed while the service was down still needs a new version.
  void resume(const Activation& last);
  // Another replica on the same store activated `recorded` (activations.h,
  // follow_activations): it runs here too, without a second activation record. Nothing
  // changes when it is the policy running.
  void follow(const Activation& recorded, std::shared_ptr<const ActivePolicy> active);
  std::shared_ptr<const ActivePolicy> current() const { return current_.load(); }
  // A candidate text (validate, replay, the console's editor) loaded as if it replaced the
  // policy file: its lists and tables are read from the policy's folder. Not activated.
  dsl::LoadedPolicy load_candidate(std::string text) const;
  // Why a candidate that loads would still not be activated in place of the running policy
  // (its text changed under the same version); "" when it would. Validation says so before a
  // deploy or a reload refuses it.
  std::string version_refusal(const dsl::LoadedPolicy& candidate) const;
  // The policy's test file: X.test beside X.policy, and its text (nullopt when there is none,
  // or it cannot be read inside the folder).
  std::string tests_file() const;
  std::optional<std::string> tests_text() const;
  // The console's deploy (policy_deploy.h): writes the files and activates them, trigger
  // "console", or refuses and changes nothing.
  DeployResult deploy(const Deployment& deployment);
  std::string last_error() const;
  std::string last_reload_at() const;
  // Polls the size and modification time of the file and of the lists and tables it loaded;
  // a change triggers reload().
  void watch(std::chrono::milliseconds interval);

 private:
  std::string signature() const;
  std::string activate(const std::string& trigger, const std::string& by,
                       const std::string& note = "");
  // Why a text may not replace the running one under its version; "" when it may.
  std::string version_refusal(const std::string& version, const std::string& text_sha256) const;
  std::string tests_refusal(const dsl::LoadedPolicy& loaded) const;  // --require-tests
  // Where list(...) and table(...) read: the policy file's own folder.
  std::string files_folder() const;

  std::string folder_, file_, path_;
  OnReload on_reload_;
  std::atomic<std::shared_ptr<const ActivePolicy>> current_;
  mutable std::mutex mutex_;  // guards the fields below and serialises reloads
  std::string last_error_, last_reload_at_, seen_signature_;
  std::vector<std::string> watched_;  // the policy file and the files it loaded
  Activation running_;                // the running policy's activation ("" before the first)
  bool require_tests_ = false;
  std::function<void(const Activation&, const ActivePolicy&)> on_activate_;
  std::thread watcher_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
};

}  // namespace kyc::service
