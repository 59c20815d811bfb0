// Document numbers are never stored: the account store keeps HMAC-SHA256(server key, number).
// The key lives in the data folder, made on first start with mode 0600.
#pragma once

#include <string>
#include <string_view>

#include "common/hmac_sha256.h"
#include "common/result.h"

namespace kyc::store {

class DocumentKey {
 public:
  // Reads <path>, or creates it with 32 random bytes.
  static common::Result<DocumentKey> load_or_create(const std::string& path);
  // Hex HMAC of the number after normalisation (upper case, spaces and hyphens removed), so
  // "x123-456" and "X123456" link the same document.
  std::string hash(std::string_view document_number) const;
  // The key as a MAC, for other digests that must outlive master key rotations (erased
  // accounts, store/account_keys.h); each use prefixes its input with a domain of its own.
  const common::HmacSha256& mac() const { return mac_; }

 private:
  explicit DocumentKey(common::HmacSha256 mac) : mac_(std::move(mac)) {}
  common::HmacSha256 mac_;
};

}  // namespace kyc::store
