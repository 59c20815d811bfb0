#include "service/policy_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <filesystem>

#include "dsl/policy_loader.h"
#include "service/clock.h"

namespace kyc::service {

PolicyStore::PolicyStore(std::string folder, std::string file,
                         std::function<void(bool ok)> on_reload)
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

bool PolicyStore::reload() {
  std::lock_guard lock(mutex_);
  seen_signature_ = signature();
  last_reload_at_ = now_rfc3339();
  auto text = dsl::read_inside(folder_, file_, dsl::ParseOptions{}.max_source_bytes);
  if (!text) {
    if (on_reload_) on_reload_(false);
    last_error_ = file_ + ": " + text.error().message + "\n";
    return false;
  }
  auto loaded = dsl::load_policy(file_, std::move(*text), dsl::FolderFiles(files_folder()));
  // Watch what this text reads, even when it failed: fixing a list fixes the policy.
  watched_ = {path_};
  for (const auto& f : loaded.files)
    watched_.push_back((std::filesystem::path(files_folder()) / f.path).string());
  seen_signature_ = signature();
  bool ok = loaded.ok();
  if (on_reload_) on_reload_(ok);
  if (!ok) {
    last_error_ = positions_only(loaded);
    return false;
  }
  last_error_.clear();
  auto files = std::make_shared<std::vector<store::PolicyFile>>();
  for (auto& f : loaded.files)
    files->push_back({std::move(f.path), std::move(f.sha256), std::move(f.content)});
  current_.store(std::make_shared<const ActivePolicy>(
      ActivePolicy{loaded.compiled, std::make_shared<const std::string>(loaded.source->text()),
                   std::move(files), file_, last_reload_at_}));
  return true;
}

dsl::LoadedPolicy PolicyStore::load_candidate(std::string text) const {
  return dsl::load_policy("candidate.policy", std::move(text), dsl::FolderFiles(files_folder()));
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
      reload();
      lock.lock();
    }
  });
}

}  // namespace kyc::service
