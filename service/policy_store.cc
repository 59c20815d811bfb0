#include "service/policy_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <filesystem>

#include "common/sha256.h"
#include "dsl/policy_loader.h"
#include "dsl/policy_tests.h"
#include "service/clock.h"
#include "service/declared_facts.h"
#include "service/policy_test_run.h"

namespace kyc::service {

PolicyStore::PolicyStore(std::string folder, std::string file, OnReload on_reload)
    : folder_(std::move(folder)),
      file_(std::move(file)),
      path_((std::filesystem::path(folder_) / file_).string()),
      on_reload_(std::move(on_reload)) {
  watched_.push_back(path_);
}

namespace {

// `FILE:LINE:COL: error: message` per problem, without the source line under it.
std::string positions_only(const dsl::LoadedPolicy& loaded) {
  std::string out;
  for (const auto& d : loaded.diagnostics.items()) {
    if (d.severity != dsl::Severity::Error) continue;
    out += loaded.source->name() + ":" + std::to_string(d.location.line) + ":" +
           std::to_string(d.location.column) + ": error: " + d.message + "\n";
  }
  return out;
}

}  // namespace

PolicyStore::~PolicyStore() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (watcher_.joinable()) watcher_.join();
}

// Size and modification time of the policy file and of every list and table it loaded: an
// edit to any of them is an edit to the policy.
std::string PolicyStore::signature() const {
  std::string out;
  for (const auto& path : watched_) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) {
      out += "-;";
      continue;
    }
    out += std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
           std::to_string(st.st_mtim.tv_nsec) + ";";
  }
  return out;
}

bool PolicyStore::reload(const std::string& trigger, const std::string& by) {
  std::lock_guard lock(mutex_);
  last_reload_at_ = now_rfc3339();
  std::string why = activate(trigger, by);
  if (on_reload_) on_reload_(trigger, why);
  last_error_ = why;
  return why.empty();
}

// Loads the file and, if it passes every check, makes it the running policy; else why not.
std::string PolicyStore::activate(const std::string& trigger, const std::string& by,
                                  const std::string& note) {
  seen_signature_ = signature();
  auto text = dsl::read_inside(folder_, file_, dsl::ParseOptions{}.max_source_bytes);
  if (!text) return file_ + ": " + text.error().message + "\n";
  auto loaded = dsl::load_policy(file_, std::move(*text), dsl::FolderFiles(files_folder()));
  hold_to_catalogue(loaded);
  // Watch what this text reads, even when it failed: fixing a list fixes the policy. A text
  // that failed may have failed on a file it could not read: the files watched before stay
  // watched, or restoring a deleted list would go unseen until a reload by hand.
  std::vector<std::string> watched = {path_};
  for (const auto& f : loaded.files)
    watched.push_back((std::filesystem::path(files_folder()) / f.path).string());
  if (!loaded.ok())
    for (auto& before : watched_)
      if (std::find(watched.begin(), watched.end(), before) == watched.end())
        watched.push_back(std::move(before));
  watched_ = std::move(watched);
  seen_signature_ = signature();
  if (!loaded.ok()) return positions_only(loaded);
  const engine::CompiledPolicy& policy = *loaded.compiled;
  std::string text_sha256 = common::sha256_hex(loaded.source->text());
  if (std::string why = version_refusal(policy.version, text_sha256); !why.empty()) return why;
  if (require_tests_)
    if (std::string failed = tests_refusal(loaded); !failed.empty()) return failed;

  // The same policy again (a save that changed nothing, a deploy repeated): it runs on as it
  // was, loaded when it first ran. Replacing it made a repeated deploy answer activated:false
  // with a new activated_at.
  if (auto running = current_.load(); running && running->compiled->sha256 == policy.sha256)
    return "";
  auto files = std::make_shared<std::vector<store::PolicyFile>>();
  for (auto& f : loaded.files)
    files->push_back({std::move(f.path), std::move(f.sha256), std::move(f.content)});
  auto active = std::make_shared<const ActivePolicy>(
      ActivePolicy{loaded.compiled, std::make_shared<const std::string>(loaded.source->text()),
                   std::move(files), file_, last_reload_at_});
  if (policy.sha256 != running_.sha256) {
    Activation a{last_reload_at_,
                 policy.version,
                 policy.sha256,
                 text_sha256,
                 running_.sha256,
                 trigger,
                 by,
                 file_,
                 note};
    // Before the policy runs: its activation is in the log before any decision it makes.
    if (on_activate_) on_activate_(a, *active);
    running_ = std::move(a);
  }
  current_.store(std::move(active));
  return "";
}

std::string PolicyStore::version_refusal(const dsl::LoadedPolicy& candidate) const {
  if (!candidate.ok()) return "";
  std::lock_guard lock(mutex_);
  return version_refusal(candidate.compiled->version, common::sha256_hex(candidate.source->text()));
}

// Change control: a text that changed keeps no version it had (a list edited beside it
// changes the policy's sha256, not its text, and needs none).
std::string PolicyStore::version_refusal(const std::string& version,
                                         const std::string& text_sha256) const {
  if (running_.text_sha256.empty() || text_sha256 == running_.text_sha256 ||
      version != running_.version)
    return "";
  return file_ + ": the text changed but the version is still \"" + version +
         "\": give the header a new version to activate the change\n";
}

// --require-tests: the policy's X.test beside it must pass, every case, before it runs.
std::string PolicyStore::tests_refusal(const dsl::LoadedPolicy& loaded) const {
  std::string test_file = tests_file();
  auto text = dsl::read_inside(folder_, test_file, dsl::ParseOptions{}.max_source_bytes);
  if (!text)
    return test_file + ": " + text.error().message + " (--require-tests needs the tests)\n";
  TestRun run = run_tests(loaded, test_file, std::move(*text));
  if (run.diagnostics.has_errors()) {
    std::string out;
    for (const auto& d : run.diagnostics.items())
      if (d.severity == dsl::Severity::Error)
        out += test_file + ":" + std::to_string(d.location.line) + ":" +
               std::to_string(d.location.column) + ": error: " + d.message + "\n";
    return out;
  }
  if (run.report.failed == 0) return "";
  std::string out = test_file + ": " + std::to_string(run.report.failed) + " of " +
                    std::to_string(run.cases()) + " cases fail" +
                    (running_.sha256.empty() ? "" : "; the running policy is kept") + "\n";
  for (const auto& f : run.report.failures) out += f.text() + "\n";
  return out;
}

std::string PolicyStore::tests_file() const {
  return std::filesystem::path(file_).replace_extension(".test").string();
}

std::optional<std::string> PolicyStore::tests_text() const {
  auto text = dsl::read_inside(folder_, tests_file(), dsl::ParseOptions{}.max_source_bytes);
  if (!text) return std::nullopt;
  return std::move(*text);
}

void PolicyStore::resume(const Activation& last) {
  std::lock_guard lock(mutex_);
  running_ = last;
}

void PolicyStore::follow(const Activation& recorded, std::shared_ptr<const ActivePolicy> active) {
  std::lock_guard lock(mutex_);
  if (recorded.sha256 == running_.sha256) return;
  running_ = recorded;
  current_.store(std::move(active));
}

dsl::LoadedPolicy PolicyStore::load_candidate(std::string text) const {
  auto loaded =
      dsl::load_policy("candidate.policy", std::move(text), dsl::FolderFiles(files_folder()));
  hold_to_catalogue(loaded);
  return loaded;
}

std::string PolicyStore::files_folder() const {
  return (std::filesystem::path(folder_) / std::filesystem::path(file_).parent_path()).string();
}

std::string PolicyStore::last_error() const {
  std::lock_guard lock(mutex_);
  return last_error_;
}

std::string PolicyStore::last_reload_at() const {
  std::lock_guard lock(mutex_);
  return last_reload_at_;
}

void PolicyStore::watch(std::chrono::milliseconds interval) {
  watcher_ = std::thread([this, interval] {
    std::unique_lock lock(mutex_);
    while (!stop_cv_.wait_for(lock, interval, [this] { return stopping_; })) {
      if (signature() == seen_signature_) continue;
      lock.unlock();
      reload("file watch");
      lock.lock();
    }
  });
}

}  // namespace kyc::service
