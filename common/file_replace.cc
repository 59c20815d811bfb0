#include "common/file_replace.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

namespace kyc::common {

namespace {

bool write_all(int fd, std::string_view content) {
  while (!content.empty()) {
    ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    content.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// The rename is durable once the folder's entry is: sync the folder too.
void sync_folder(const std::string& folder) {
  int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

Result<void> replace_file(const std::string& path, std::string_view content) {
  std::filesystem::path target(path);
  std::string name = target.filename().string();
  std::string folder = target.has_parent_path() ? target.parent_path().string() : ".";
  // A dot file with a random suffix: no `*.policy` or `*.test` scan picks it up half-written.
  std::string temp = (std::filesystem::path(folder) / ("." + name + ".XXXXXX")).string();
  std::vector<char> temp_name(temp.begin(), temp.end());
  temp_name.push_back('\0');
  int fd = ::mkostemp(temp_name.data(), O_CLOEXEC);
  if (fd < 0) return fail("cannot write beside " + name + ": " + std::strerror(errno));
  struct stat old;
  mode_t mode =
      ::lstat(path.c_str(), &old) == 0 && S_ISREG(old.st_mode) ? old.st_mode & 07777 : 0644;
  bool ok = ::fchmod(fd, mode) == 0 && write_all(fd, content) && ::fsync(fd) == 0;
  int err = ok ? 0 : errno;
  if (::close(fd) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (ok && ::rename(temp_name.data(), path.c_str()) != 0) {
    ok = false;
    err = errno;
  }
  if (!ok) {
    ::unlink(temp_name.data());
    return fail("cannot write " + name + ": " + std::strerror(err));
  }
  sync_folder(folder);
  return {};
}

}  // namespace kyc::common
