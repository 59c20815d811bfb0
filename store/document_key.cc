#include "store/document_key.h"

#include <openssl/rand.h>
#include <sys/stat.h>

#include <cctype>
#include <fstream>
#include <iterator>

namespace kyc::store {

common::Result<DocumentKey> DocumentKey::load_or_create(const std::string& path) {
  std::string key;
  std::ifstream in(path, std::ios::binary);
  if (in) {
    key.assign(std::istreambuf_iterator<char>(in), {});
    if (key.size() < 32) return common::fail(path + ": the document key is shorter than 32 bytes");
  } else {
    key.resize(32);
    if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), 32) != 1)
      return common::fail("no randomness for the document key");
    std::ofstream out(path, std::ios::binary);
    out.write(key.data(), static_cast<std::streamsize>(key.size()));
    if (!out) return common::fail("cannot write the document key " + path);
    out.close();
    chmod(path.c_str(), 0600);
  }
  auto mac = common::HmacSha256::with_key(key);
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
