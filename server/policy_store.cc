#include "server/policy_store.h"

#include <sys/stat.h>

#include <ctime>

#include "dsl/policy_loader.h"

namespace kyc::server {

std::string now_rfc3339() {
  // Every request stamps two of these (decision and access log): the text of the current
  // second is kept per thread, so only the milliseconds are written each time.
  thread_local std::time_t cached_second = -1;
  thread_local char text[] = "YYYY-MM-DDTHH:MM:SS.mmmZ";
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  if (secs != cached_second) {
    std::tm tm{};
    gmtime_r(&secs, &tm);
    std::strftime(text, 20, "%Y-%m-%dT%H:%M:%S", &tm);
    text[19] = '.';
    cached_second = secs;
  }
  int milli = static_cast<int>(ms % 1000);
  text[20] = static_cast<char>('0' + milli / 100);
  text[21] = static_cast<char>('0' + milli / 10 % 10);
  text[22] = static_cast<char>('0' + milli % 10);
  return std::string(text, 24);
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
