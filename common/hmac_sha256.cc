#include "common/hmac_sha256.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <new>

#include "common/sha256.h"

namespace kyc::common {

namespace {

EVP_MAC* hmac_algorithm() {
  static EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);  // kept for the process
  return mac;
}

}  // namespace

Result<HmacSha256> HmacSha256::with_key(std::string_view key) {
  EVP_MAC* mac = hmac_algorithm();
  if (!mac) return fail("OpenSSL has no HMAC");
  std::shared_ptr<EVP_MAC_CTX> ctx(EVP_MAC_CTX_new(mac), &EVP_MAC_CTX_free);
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                         OSSL_PARAM_construct_end()};
  if (!ctx || EVP_MAC_init(ctx.get(), reinterpret_cast<const unsigned char*>(key.data()),
                           key.size(), params) != 1)
    return fail("cannot set up HMAC-SHA-256");
  HmacSha256 h;
  h.keyed_ = std::move(ctx);
  return h;
}

std::string HmacSha256::hex(std::initializer_list<std::string_view> parts) const {
  std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx(EVP_MAC_CTX_dup(keyed_.get()),
                                                               &EVP_MAC_CTX_free);
  unsigned char mac[EVP_MAX_MD_SIZE];
  size_t len = 0;
  if (!ctx) throw std::bad_alloc();
  for (std::string_view part : parts)
    EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(part.data()), part.size());
  EVP_MAC_final(ctx.get(), mac, &len, sizeof mac);
  return hex_encode(mac, len);
}

}  // namespace kyc::common
