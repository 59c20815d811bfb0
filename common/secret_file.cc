#include "common/secret_file.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace kyc::common {

Result<void> write_new_secret_file(const std::string& path, const std::string& bytes, int mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return fail("cannot create " + path + ": " + std::strerror(errno));
  bool ok = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return fail("cannot write " + path);
  return {};
}

Result<std::string> read_key_file(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(path + ": cannot read the " + what);
  std::string bytes(std::istreambuf_iterator<char>(in), {});
  if (bytes.size() < 32) return fail(path + ": the " + what + " is shorter than 32 bytes");
  return bytes;
}

Result<std::string> read_or_create_key_file(const std::string& path, const std::string& what) {
  if (::access(path.c_str(), F_OK) == 0) return read_key_file(path, what);
  std::string bytes(32, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), 32) != 1)
    return fail("no randomness for the " + what);
  if (auto written = write_new_secret_file(path, bytes); !written) {
    if (::access(path.c_str(), F_OK) == 0) return read_key_file(path, what);  // another won
    return written.error();
  }
  return bytes;
}

}  // namespace kyc::common
