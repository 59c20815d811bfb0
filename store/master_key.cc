#include "store/master_key.h"

#include <filesystem>

#include "common/aead.h"
#include "common/secret_file.h"
#include "common/sha256.h"

namespace kyc::store {

namespace {

// What a wrapped data key is bound to: its purpose, the account and the master key, so that
// it opens for no other account and no other use of the same master key.
std::string wrap_context(std::string_view account_id, const std::string& master_key_id) {
  std::string context = "kycd data key\n";
  context += master_key_id;
  context += '\n';
  context += account_id;
  return context;
}

common::Result<std::unique_ptr<FileMasterKey>> from_file_bytes(const std::string& path,
                                                               common::Result<std::string> bytes) {
  if (!bytes) return bytes.error();
  auto key = FileMasterKey::from_bytes(*bytes);
  common::wipe(*bytes);
  if (!key)
    return common::fail(path + ": " + key.error().message +
                        " (make one with: head -c 32 /dev/urandom > FILE; chmod 600 FILE)");
  return key;
}

}  // namespace

std::string default_master_key_path(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "master.key").string();
}

common::Result<std::unique_ptr<FileMasterKey>> FileMasterKey::from_bytes(std::string_view bytes) {
  auto key = common::SecretKey::from_bytes(bytes, "master key");
  if (!key) return key.error();
  std::string id = common::sha256_hex(bytes).substr(0, 16);
  return std::unique_ptr<FileMasterKey>(new FileMasterKey(std::move(*key), std::move(id)));
}

common::Result<std::unique_ptr<FileMasterKey>> FileMasterKey::load(const std::string& path) {
  return from_file_bytes(path, common::read_key_file(path, "master key"));
}

common::Result<std::unique_ptr<FileMasterKey>> FileMasterKey::load_or_create(
    const std::string& path) {
  return from_file_bytes(path, common::read_or_create_key_file(path, "master key"));
}

common::Result<WrappedKey> FileMasterKey::wrap(const common::SecretKey& data_key,
                                               std::string_view account_id) const {
  auto sealed = common::aead::seal(key_, data_key.bytes(), wrap_context(account_id, id_));
  if (!sealed) return sealed.error();
  return WrappedKey{id_, std::move(*sealed)};
}

common::Result<common::SecretKey> FileMasterKey::unwrap(const WrappedKey& wrapped,
                                                        std::string_view account_id) const {
  std::string account(account_id);
  if (wrapped.master_key_id != id_)
    return common::fail("the data key of account " + account + " is wrapped by master key " +
                        wrapped.master_key_id + ", not by the master key given (" + id_ + ")");
  auto bytes = common::aead::open(key_, wrapped.bytes, wrap_context(account_id, id_));
  if (!bytes)
    return common::fail("the data key of account " + account +
                        " does not unwrap under master key " + id_ + ": " + bytes.error().message);
  auto key = common::SecretKey::from_bytes(*bytes, "data key of account " + account);
  common::wipe(*bytes);
  return key;
}

}  // namespace kyc::store
