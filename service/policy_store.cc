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
      on_reload_(std::move(on_reload)) {}

namespace {

// The policy file's text, read only if the file really is inside `folder` (after every link
// is followed), is a regular file, and is not over the parser's size limit.
bool read_inside(const std::string& folder, const std::string& path, std::string& text,
                 std::string& why) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path root = fs::canonical(folder, ec);
  if (ec) return why = "the policy folder cannot be read", false;
  fs::path real = fs::canonical(path, ec);
  if (ec) return why = "cannot read the file", false;
  auto [end, at] = std::mismatch(root.begin(), root.end(), real.begin(), real.end());
  if (end != root.end())
    return why = "the file is a link that leads out of the policy folder; refused", false;
  int fd = ::open(real.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    if (fd >= 0) ::close(fd);
    return why = "not a regular file", false;
  }
  size_t limit = dsl::ParseOptions{}.max_source_bytes;
  if (static_cast<size_t>(st.st_size) > limit) {
    ::close(fd);
    return why = "the file is over " + std::to_string(limit) + " bytes", false;
  }
  text.resize(static_cast<size_t>(st.st_size));
  size_t got = 0;
  while (got < text.size()) {
    ssize_t n = ::read(fd, text.data() + got, text.size() - got);
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  text.resize(got);
  return true;
}

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

std::string PolicyStore::signature() const {
  struct stat st;
  if (stat(path_.c_str(), &st) != 0) return "";
  return std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec);
}

bool PolicyStore::reload() {
  std::lock_guard lock(mutex_);
  seen_signature_ = signature();
  last_reload_at_ = now_rfc3339();
  std::string text, why;
  if (!read_inside(folder_, path_, text, why)) {
    if (on_reload_) on_reload_(false);
    last_error_ = file_ + ": " + why + "\n";
    return false;
  }
  auto loaded = dsl::load_policy(file_, std::move(text));
  bool ok = loaded.ok();
  if (on_reload_) on_reload_(ok);
  if (!ok) {
    last_error_ = positions_only(loaded);
    return false;
  }
  last_error_.clear();
  current_.store(std::make_shared<const ActivePolicy>(
      ActivePolicy{loaded.compiled, std::make_shared<const std::string>(loaded.source->text()),
                   file_, last_reload_at_}));
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

}  // namespace kyc::service
