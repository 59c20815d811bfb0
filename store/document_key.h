// Document numbers are never stored: the account store keeps HMAC-SHA256(server key, number).
// The key lives in the data folder, made on first start with mode 0600.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/hmac_sha256.h"
#include "common/result.h"

namespace kyc::store {

// A document number as documents print it: ASCII letters (upper-cased) and digits, the
// machine-readable zone's alphabet. Separators and spacing of every kind are dropped (space,
// tab, '-', '.', '/', '_', '<', no-break and zero-width spaces, Unicode dashes), and fullwidth
// forms read as the ASCII they stand for: once only ' ' and '-' were, and "X1234567<" or a
// no-break space after it passed as another document, approving a second account. Any other
// character (a Cyrillic Х that looks like X), or nothing left: nullopt.
std::optional<std::string> canonical_document_number(std::string_view number);

class DocumentKey {
 public:
  // Reads <path>, or creates it with 32 random bytes.
  static common::Result<DocumentKey> load_or_create(const std::string& path);
  // Hex HMAC of the number's canonical form (canonical_document_number), so "x123-456",
  // "X123456\t" and a fullwidth "Ｘ123456" link the same document; nullopt for a number no
  // document has, which then links nothing.
  std::optional<std::string> hash(std::string_view document_number) const;
  // The key as a MAC, for other digests that must outlive master key rotations (erased
  // accounts, store/account_keys.h); each use prefixes its input with a domain of its own.
  const common::HmacSha256& mac() const { return mac_; }

 private:
  explicit DocumentKey(common::HmacSha256 mac) : mac_(std::move(mac)) {}
  common::HmacSha256 mac_;
};

}  // namespace kyc::store
