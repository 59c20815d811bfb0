#include "common/secret_key.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

namespace kyc::common {

void wipe(std::string& s) {
  if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
}

Result<SecretKey> SecretKey::random() {
  std::string bytes(kBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), kBytes) != 1)
    return fail("no randomness for a new key");
  return SecretKey(std::move(bytes));
}

Result<SecretKey> SecretKey::from_bytes(std::string_view bytes, const std::string& what) {
  if (bytes.size() != kBytes)
    return fail("the " + what + " must be " + std::to_string(kBytes) + " bytes, not " +
                std::to_string(bytes.size()));
  return SecretKey(std::string(bytes));
}

// A moved-from key is emptied (its heap buffer went to the new owner); nothing left to wipe.
SecretKey::SecretKey(SecretKey&& other) noexcept : bytes_(std::move(other.bytes_)) {
  other.bytes_.clear();
}

SecretKey& SecretKey::operator=(const SecretKey& other) {
  if (this != &other) {
    wipe(bytes_);
    bytes_ = other.bytes_;
  }
  return *this;
}

SecretKey& SecretKey::operator=(SecretKey&& other) noexcept {
  if (this != &other) {
    wipe(bytes_);
    bytes_ = std::move(other.bytes_);
    other.bytes_.clear();
  }
  return *this;
}

SecretKey::~SecretKey() { wipe(bytes_); }

}  // namespace kyc::common
