// The key that signs checkpoints of the audit chain (Ed25519, OpenSSL): a signed checkpoint
// copied out of the data folder (a write-once store) proves later that the log held record N
// with link L at that time, so that a removed tail or a replaced database is found.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace kyc::service {

class CheckpointKey {
 public:
  // Reads the PEM private key at `path`, or creates it (0600). Either way the public key is
  // (re)written beside it as checkpoint.pub (PEM), if that file is absent.
  static common::Result<CheckpointKey> load_or_create(const std::string& path);
  // A public key (PEM) alone, to verify with.
  static common::Result<CheckpointKey> load_public(const std::string& path);
  // Where load_or_create writes the public key of the private key at `path`.
  static std::string public_path(const std::string& private_path);

  // Hex signature of `message` (private key needed).
  std::string sign(std::string_view message) const;
  bool verify(std::string_view message, const std::string& signature_hex) const;
  // The first 8 bytes of SHA-256 of the raw public key, hex.
  const std::string& id() const { return id_; }
  std::string public_pem() const;

 private:
  std::shared_ptr<void> key_;  // EVP_PKEY
  bool has_private_ = false;
  std::string id_;
};

}  // namespace kyc::service
