#include "store/document_key.h"

#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sys/stat.h>

#include <cctype>
#include <fstream>
#include <iterator>

namespace kyc::store {

common::Result<DocumentKey> DocumentKey::load_or_create(const std::string& path) {
  DocumentKey k;
  std::ifstream in(path, std::ios::binary);
  if (in) {
    k.key_.assign(std::istreambuf_iterator<char>(in), {});
    if (k.key_.size() < 32) {
      return common::fail(path + ": the document key is shorter than 32 bytes");
    }
    return k;
  }
  k.key_.resize(32);
  if (RAND_bytes(reinterpret_cast<unsigned char*>(k.key_.data()), 32) != 1) {
    return common::fail("no randomness for the document key");
  }
  {
    std::ofstream out(path, std::ios::binary);
    out.write(k.key_.data(), static_cast<std::streamsize>(k.key_.size()));
    if (!out) {
      return common::fail("cannot write the document key " + path);
    }
  }
  chmod(path.c_str(), 0600);
  return k;
}

std::string DocumentKey::hash(std::string_view number) const {
  std::string normalized;
  for (char c : number)
    if (c != ' ' && c != '-')
      normalized += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
       reinterpret_cast<const unsigned char*>(normalized.data()), normalized.size(), mac, &len);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += hex[mac[i] >> 4];
    out += hex[mac[i] & 15];
  }
  return out;
}

}  // namespace kyc::store
