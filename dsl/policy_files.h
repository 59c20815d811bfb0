// The files a policy loads besides its own text (`list("lists/sanctioned.txt")`,
// `table("lists/limits.csv", int)`), and where they come from: the policy's folder on disk
// for the running policy, or the copies the audit log kept for a replay. The files are part
// of the policy: its sha256 covers them, so a changed list is a changed policy.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/result.h"

namespace kyc::dsl {

using common::Result;

struct PolicyFile {
  std::string path;  // as written in the policy: relative to the policy's folder
  std::string sha256;
  std::string content;
};

class PolicyFileReader {
 public:
  virtual ~PolicyFileReader() = default;
  // The content of `path`, already checked to be a plain relative path without `..`.
  virtual Result<std::string> read(const std::string& path, size_t max_bytes) const = 0;
  // True for the copies kept with past decisions: a file that no longer passes a check added
  // since is then read as it was read when it decided (a warning), so that replay reproduces
  // those decisions, instead of refused.
  virtual bool recorded() const { return false; }
};

// Files inside a folder on disk; a link that leads out of the folder is refused.
class FolderFiles : public PolicyFileReader {
 public:
  explicit FolderFiles(std::string folder) : folder_(std::move(folder)) {}
  Result<std::string> read(const std::string& path, size_t max_bytes) const override;

 private:
  std::string folder_;
};

// The files recorded with a policy (replay), by path.
class RecordedFiles : public PolicyFileReader {
 public:
  explicit RecordedFiles(const std::vector<PolicyFile>& files);
  Result<std::string> read(const std::string& path, size_t max_bytes) const override;
  bool recorded() const override { return true; }

 private:
  std::map<std::string, std::string> content_;
};

// For a policy given as text alone (a test, a fuzzer): every file is refused.
class NoFiles : public PolicyFileReader {
 public:
  Result<std::string> read(const std::string& path, size_t max_bytes) const override;
};

// `path` (relative to `folder`) read only if it really is inside `folder` after every link is
// followed, is a regular file, and has at most `max_bytes`. Errors are sentences without the
// absolute path (any role may read a reload error).
Result<std::string> read_inside(const std::string& folder, const std::string& path,
                                size_t max_bytes);

// Empty when `path` may name a file of the policy, else why not: relative, inside the
// policy's folder by its letters alone (no `..`, no absolute path), printable.
std::string check_policy_file_path(const std::string& path);

// The policy's identity: the SHA-256 of its text when it loads no file (the form every
// earlier record has), else of the text and each file's path and content hash.
std::string policy_sha256(const std::string& text, const std::vector<PolicyFile>& files);

}  // namespace kyc::dsl
