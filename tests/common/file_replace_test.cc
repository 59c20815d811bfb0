// Replacing a file whole: the new content in place, the old permissions kept, nothing left
// beside it, and a folder that cannot be written is an error that changes nothing.
#include "common/file_replace.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using kyc::common::replace_file;

namespace {

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Folder {
  fs::path path = fs::temp_directory_path() / ("kyc-file-replace-" + std::to_string(::getpid()));
  Folder() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~Folder() { fs::remove_all(path); }
  size_t entries() const {
    size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(path)) ++n;
    return n;
  }
};

}  // namespace

TEST(FileReplace, ReplacesTheContentAndKeepsThePermissions) {
  Folder f;
  fs::path file = f.path / "kyc.policy";
  std::ofstream(file) << "old text, longer than the new one\n";
  ::chmod(file.c_str(), 0640);
  ASSERT_TRUE(replace_file(file.string(), "new\n"));
  EXPECT_EQ(read(file), "new\n");
  struct stat st;
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_EQ(f.entries(), 1u);  // no temporary file left
}

TEST(FileReplace, CreatesAMissingFile) {
  Folder f;
  fs::path file = f.path / "kyc.test";
  ASSERT_TRUE(replace_file(file.string(), "case\n"));
  EXPECT_EQ(read(file), "case\n");
}

TEST(FileReplace, AMissingFolderIsAnErrorThatNamesTheFileOnly) {
  Folder f;
  auto r = replace_file((f.path / "absent" / "kyc.policy").string(), "x");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("kyc.policy"), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().message.find(f.path.string()), std::string::npos) << r.error().message;
}
