#include "dsl/policy_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "common/sha256.h"

namespace kyc::dsl {

Result<std::string> read_inside(const std::string& folder, const std::string& path,
                                size_t max_bytes) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path root = fs::canonical(folder, ec);
  if (ec) return common::fail("the policy folder cannot be read");
  fs::path real = fs::canonical(fs::path(folder) / path, ec);
  if (ec) return common::fail("cannot read the file (" + ec.message() + ")");
  auto [end, at] = std::mismatch(root.begin(), root.end(), real.begin(), real.end());
  if (end != root.end())
    return common::fail("the file is a link that leads out of the policy folder; refused");
  int fd = ::open(real.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    if (fd >= 0) ::close(fd);
    return common::fail("not a regular file");
  }
  if (static_cast<size_t>(st.st_size) > max_bytes) {
    ::close(fd);
    return common::fail("the file is over " + std::to_string(max_bytes) + " bytes");
  }
  std::string text(static_cast<size_t>(st.st_size), '\0');
  size_t got = 0;
  while (got < text.size()) {
    ssize_t n = ::read(fd, text.data() + got, text.size() - got);
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  text.resize(got);
  return text;
}

Result<std::string> FolderFiles::read(const std::string& path, size_t max_bytes) const {
  return read_inside(folder_, path, max_bytes);
}

RecordedFiles::RecordedFiles(const std::vector<PolicyFile>& files) {
  for (const auto& f : files) content_.emplace(f.path, f.content);
}

Result<std::string> RecordedFiles::read(const std::string& path, size_t max_bytes) const {
  auto it = content_.find(path);
  if (it == content_.end()) return common::fail("the file was not recorded with the policy");
  if (it->second.size() > max_bytes)
    return common::fail("the file is over " + std::to_string(max_bytes) + " bytes");
  return it->second;
}

Result<std::string> NoFiles::read(const std::string&, size_t) const {
  return common::fail("this policy was given as text without a folder, so it cannot read files");
}

std::string check_policy_file_path(const std::string& path) {
  if (path.empty()) return "the file's path is empty";
  if (path.size() > 255) return "the file's path is longer than 255 bytes";
  if (path.front() == '/') return "the path must be relative to the policy's folder";
  for (char c : path)
    if (static_cast<unsigned char>(c) < 0x20 || c == '\\')
      return "the path may not hold control characters or '\\'";
  for (const auto& part : std::filesystem::path(path))
    if (part == "..") return "the path may not leave the policy's folder ('..')";
  return "";
}

std::string policy_sha256(const std::string& text, const std::vector<PolicyFile>& files) {
  if (files.empty()) return common::sha256_hex(text);
  std::vector<const PolicyFile*> sorted;
  for (const auto& f : files) sorted.push_back(&f);
  std::sort(sorted.begin(), sorted.end(),
            [](const PolicyFile* a, const PolicyFile* b) { return a->path < b->path; });
  // NUL cannot occur in a path or a hex hash, so the parts cannot run into each other.
  std::string manifest = common::sha256_hex(text);
  for (const PolicyFile* f : sorted) {
    manifest += '\0';
    manifest += f->path;
    manifest += '\0';
    manifest += f->sha256;
  }
  return common::sha256_hex(manifest);
}

}  // namespace kyc::dsl
