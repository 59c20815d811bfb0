// The master key: it wraps (seals) each account's data key, so that the database holds data
// keys only in wrapped form and whoever copies audit.db without the master key reads no
// personal data. An interface, so that a KMS or an HSM can hold the key later; the embedded
// default is a key file (FileMasterKey).
//
// Every wrapped key is stored with the id of the master key that wrapped it, so that opening
// it with another master key fails with an error that names the key it needs.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/secret_key.h"

namespace kyc::store {

// A data key as the store keeps it.
struct WrappedKey {
  std::string master_key_id;  // the master key that wrapped it
  std::string bytes;          // common/aead.h format
};

class MasterKey {
 public:
  virtual ~MasterKey() = default;
  // Names the key without revealing it (recorded with every wrapped key).
  virtual const std::string& key_id() const = 0;
  // `data_key` sealed for `account_id` only: unwrapping it for another account fails.
  virtual common::Result<WrappedKey> wrap(const common::SecretKey& data_key,
                                          std::string_view account_id) const = 0;
  virtual common::Result<common::SecretKey> unwrap(const WrappedKey& wrapped,
                                                   std::string_view account_id) const = 0;
};

// A master key of 32 raw bytes in a file (0600), like the chain key (store/chain_key.h): by
// default DATA_DIR/master.key; better outside the data folder, on storage that backups of
// the data folder do not copy. Its id is the first 8 bytes of SHA-256 of the key, in hex.
class FileMasterKey final : public MasterKey {
 public:
  // Reads <path>, or creates it (0600) with 32 random bytes.
  static common::Result<std::unique_ptr<FileMasterKey>> load_or_create(const std::string& path);
  // Reads <path>; an error when it is absent or does not hold exactly 32 bytes.
  static common::Result<std::unique_ptr<FileMasterKey>> load(const std::string& path);
  static common::Result<std::unique_ptr<FileMasterKey>> from_bytes(std::string_view bytes);

  const std::string& key_id() const override { return id_; }
  common::Result<WrappedKey> wrap(const common::SecretKey& data_key,
                                  std::string_view account_id) const override;
  common::Result<common::SecretKey> unwrap(const WrappedKey& wrapped,
                                           std::string_view account_id) const override;

 private:
  FileMasterKey(common::SecretKey key, std::string id) : key_(std::move(key)), id_(std::move(id)) {}
  common::SecretKey key_;
  std::string id_;
};

// The default place of the master key in a data folder.
std::string default_master_key_path(const std::string& data_dir);

}  // namespace kyc::store
