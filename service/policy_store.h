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
#include <string>
#include <thread>

#include <functional>

#include "dsl/policy_loader.h"
#include "engine/compiled_policy.h"
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
  // `on_reload` hears of every reload attempt and whether it worked (the metrics count them).
  PolicyStore(std::string folder, std::string file, std::function<void(bool ok)> on_reload = {});
  ~PolicyStore();

  // Loads the file again; true when the new policy is now running.
  bool reload();
  std::shared_ptr<const ActivePolicy> current() const { return current_.load(); }
  // A candidate text (validate, replay, the console's editor) loaded as if it replaced the
  // policy file: its lists and tables are read from the policy's folder. Not activated.
  dsl::LoadedPolicy load_candidate(std::string text) const;
  std::string last_error() const;
  std::string last_reload_at() const;
  // Polls the size and modification time of the file and of the lists and tables it loaded;
  // a change triggers reload().
  void watch(std::chrono::milliseconds interval);

 private:
  std::string signature() const;
  // Where list(...) and table(...) read: the policy file's own folder.
  std::string files_folder() const;

  std::string folder_, file_, path_;
  std::function<void(bool ok)> on_reload_;
  std::atomic<std::shared_ptr<const ActivePolicy>> current_;
  mutable std::mutex mutex_;  // guards the fields below and serialises reloads
  std::string last_error_, last_reload_at_, seen_signature_;
  std::vector<std::string> watched_;  // the policy file and the files it loaded
  std::thread watcher_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
};

}  // namespace kyc::service
