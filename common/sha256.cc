#include "common/sha256.h"

#include <openssl/evp.h>

#include <memory>

namespace kyc::common {

std::string sha256_hex(std::span<const std::string_view> parts) {
  // One digest context per thread: the audit writer hashes every record.
  thread_local std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                           &EVP_MD_CTX_free);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  for (std::string_view part : parts) EVP_DigestUpdate(ctx.get(), part.data(), part.size());
  EVP_DigestFinal_ex(ctx.get(), digest, &len);
  return hex_encode(digest, len);
}

std::string hex_encode(const unsigned char* bytes, size_t size) {
  static const char* digits = "0123456789abcdef";
  std::string out(2 * size, '0');
  for (size_t i = 0; i < size; ++i) {
    out[2 * i] = digits[bytes[i] >> 4];
    out[2 * i + 1] = digits[bytes[i] & 15];
  }
  return out;
}

std::string sha256_hex(std::initializer_list<std::string_view> parts) {
  return sha256_hex(std::span<const std::string_view>(parts.begin(), parts.size()));
}

std::string sha256_hex(std::string_view bytes) { return sha256_hex({bytes}); }

}  // namespace kyc::common
