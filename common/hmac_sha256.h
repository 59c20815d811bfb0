// HMAC-SHA-256 under one key, keyed once. OpenSSL's one-shot HMAC() looks the algorithm up and
// sets the key up again on every call, which cost ~20,000 instructions per evaluate with an
// account (bench/README.md); here the key is set up once and each thread restarts its own
// copy of the keyed context.
#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

typedef struct evp_mac_ctx_st EVP_MAC_CTX;

namespace kyc::common {

class HmacSha256 {
 public:
  static Result<HmacSha256> with_key(std::string_view key);
  // The MAC of the concatenated parts, as 64 hex digits.
  std::string hex(std::initializer_list<std::string_view> parts) const;

 private:
  std::shared_ptr<EVP_MAC_CTX> keyed_;  // never updated: each thread works on a copy
};

}  // namespace kyc::common
