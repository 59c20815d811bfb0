// AES-256-GCM sealing of one value (a personal fact, a wrapped data key): confidentiality and
// integrity under a 32-byte key, bound to associated data that says where the value belongs
// (e.g. the account id and the field name), so that a sealed value copied to another account
// or field does not open there.
//
// A sealed value describes itself, so that the format can change without a flag day:
//   version (1 byte, kVersion) | nonce (12 bytes, random per seal) | ciphertext | tag (16 bytes)
// The version byte is authenticated too. A fresh random 96-bit nonce per seal stays well
// inside GCM's safe bound for one key (2^32 seals) at one key per account.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/secret_key.h"

namespace kyc::common::aead {

inline constexpr unsigned char kVersion = 1;
inline constexpr size_t kNonceBytes = 12;
inline constexpr size_t kTagBytes = 16;
inline constexpr size_t kOverheadBytes = 1 + kNonceBytes + kTagBytes;
// The largest value sealed or opened: personal facts are short; anything near this is a bug
// or an attack, and OpenSSL counts lengths in int.
inline constexpr size_t kMaxPlaintextBytes = size_t{16} << 20;
inline constexpr size_t kMaxAssociatedDataBytes = size_t{64} << 10;

// `plaintext` sealed under `key`, bound to `associated_data`. Fails only on limits or a
// broken OpenSSL (no randomness).
Result<std::string> seal(const SecretKey& key, std::string_view plaintext,
                         std::string_view associated_data);
// The plaintext of `sealed`; an error when it was not sealed under `key` with exactly
// `associated_data`, was altered or cut, or is of an unknown version. Never throws.
Result<std::string> open(const SecretKey& key, std::string_view sealed,
                         std::string_view associated_data);

}  // namespace kyc::common::aead
