// A 32-byte symmetric key held in memory (a data key, a master key): its bytes are wiped when
// it goes away, so that a key copied around does not linger in freed heap memory.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace kyc::common {

class SecretKey {
 public:
  static constexpr size_t kBytes = 32;  // AES-256

  // 32 fresh random bytes; an error when OpenSSL has no randomness.
  static Result<SecretKey> random();
  // An error unless `bytes` holds exactly kBytes; `what` names the key in the error.
  static Result<SecretKey> from_bytes(std::string_view bytes, const std::string& what);

  SecretKey(const SecretKey& other) : bytes_(other.bytes_) {}
  SecretKey(SecretKey&& other) noexcept;
  SecretKey& operator=(const SecretKey& other);
  SecretKey& operator=(SecretKey&& other) noexcept;
  ~SecretKey();

  std::string_view bytes() const { return bytes_; }

 private:
  explicit SecretKey(std::string bytes) : bytes_(std::move(bytes)) {}
  std::string bytes_;  // always kBytes long (no small-string buffer: 32 > SSO)
};

// Overwrites the characters of `s` with zeros (OPENSSL_cleanse: not optimised away).
void wipe(std::string& s);

}  // namespace kyc::common
