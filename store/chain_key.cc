#include "store/chain_key.h"

#include <stdexcept>

#include "common/secret_file.h"
#include "common/sha256.h"

namespace kyc::store {

ChainKey ChainKey::from_bytes(std::string bytes) {
  auto mac = common::HmacSha256::with_key(bytes);
  if (!mac) throw std::runtime_error(mac.error().message);
  ChainKey k(std::move(*mac));
  k.id_ = common::sha256_hex(bytes).substr(0, 16);
  return k;
}

common::Result<ChainKey> ChainKey::load(const std::string& path) {
  auto bytes = common::read_key_file(path, "chain key");
  if (!bytes) return bytes.error();
  return from_bytes(std::move(*bytes));
}

common::Result<ChainKey> ChainKey::load_or_create(const std::string& path) {
  auto bytes = common::read_or_create_key_file(path, "chain key");
  if (!bytes) return bytes.error();
  return from_bytes(std::move(*bytes));
}

std::string ChainKey::mac_hex(std::initializer_list<std::string_view> parts) const {
  return mac_.hex(parts);
}

}  // namespace kyc::store
