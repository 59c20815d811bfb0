#include "server/policy_store.h"

#include <sys/stat.h>

#include <ctime>

#include "dsl/policy_loader.h"

namespace kyc::server {

std::string now_rfc3339() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

PolicyStore::PolicyStore(std::string path, Metrics& metrics)
    : path_(std::move(path)), metrics_(metrics) {}

PolicyStore::~PolicyStore() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (watcher_.joinable()) watcher_.join();
}

std::string PolicyStore::signature() const {
  struct stat st;
  if (stat(path_.c_str(), &st) != 0) return "";
  return std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec);
}

bool PolicyStore::reload() {
  std::lock_guard lock(mutex_);
  seen_signature_ = signature();
  auto loaded = dsl::load_policy_file(path_);
  last_reload_at_ = now_rfc3339();
  bool ok = loaded.ok();
  metrics_.reload(ok);
  if (!ok) {
    last_error_ = loaded.report();
    return false;
  }
  last_error_.clear();
  current_.store(std::make_shared<const ActivePolicy>(
      ActivePolicy{loaded.compiled, std::make_shared<const std::string>(loaded.source->text()),
                   path_, last_reload_at_}));
  return true;
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

}  // namespace kyc::server
