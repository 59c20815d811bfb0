#include "store/document_key.h"

#include <cctype>

#include "common/secret_file.h"

namespace kyc::store {

common::Result<DocumentKey> DocumentKey::load_or_create(const std::string& path) {
  auto key = common::read_or_create_key_file(path, "document key");
  if (!key) return key.error();
  auto mac = common::HmacSha256::with_key(*key);
  if (!mac) return mac.error();
  return DocumentKey(std::move(*mac));
}

std::string DocumentKey::hash(std::string_view number) const {
  std::string normalized;
  normalized.reserve(number.size());
  for (char c : number)
    if (c != ' ' && c != '-')
      normalized += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return mac_.hex({normalized});
}

}  // namespace kyc::store
