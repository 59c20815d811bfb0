// The chain key: the secret every record's link is an HMAC under (chain.h). It lives outside
// the database, so that whoever can rewrite audit.db cannot recompute a chain that verifies.
// Its id (the first 8 bytes of SHA-256 of the key, hex) is kept in the log, so that a check
// without the key, or with another one, names the key it needs.
#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "common/hmac_sha256.h"
#include "common/result.h"

namespace kyc::store {

class ChainKey {
 public:
  // Reads <path>, or creates it (0600) with 32 random bytes.
  static common::Result<ChainKey> load_or_create(const std::string& path);
  // Reads <path>; an error when it is absent or shorter than 32 bytes.
  static common::Result<ChainKey> load(const std::string& path);
  static ChainKey from_bytes(std::string bytes);

  const std::string& id() const { return id_; }
  // HMAC-SHA-256 under the key of the parts one after another, lower-case hex.
  std::string mac_hex(std::initializer_list<std::string_view> parts) const;

 private:
  explicit ChainKey(common::HmacSha256 mac) : mac_(std::move(mac)) {}
  common::HmacSha256 mac_;
  std::string id_;
};

}  // namespace kyc::store
