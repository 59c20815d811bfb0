#include "common/hmac_sha256.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <new>
#include <stdexcept>

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
  // One context per thread, restarted with the key it holds (cheap: the padded key's digest
  // states are kept); copied from keyed_ only when another key was used last on this thread.
  struct Cached {
    std::shared_ptr<EVP_MAC_CTX> keyed;  // held, so its address cannot be another key's
    std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx{nullptr, &EVP_MAC_CTX_free};
  };
  thread_local Cached cached;
  if (cached.keyed != keyed_ || !cached.ctx) {
    cached.ctx.reset(EVP_MAC_CTX_dup(keyed_.get()));
    if (!cached.ctx) throw std::bad_alloc();
    cached.keyed = keyed_;
  } else if (EVP_MAC_init(cached.ctx.get(), nullptr, 0, nullptr) != 1) {
    throw std::runtime_error("HMAC-SHA-256: cannot restart");
  }
  EVP_MAC_CTX* ctx = cached.ctx.get();
  for (std::string_view part : parts)
    EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(part.data()), part.size());
  unsigned char mac[EVP_MAX_MD_SIZE];
  size_t len = 0;
  EVP_MAC_final(ctx, mac, &len, sizeof mac);
  return hex_encode(mac, len);
}

}  // namespace kyc::common
