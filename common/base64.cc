#include "common/base64.h"

#include <openssl/evp.h>

#include <cctype>

namespace kyc::common {

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

Result<std::string> base64_decode(std::string_view text) {
  // EVP_DecodeBlock skips leading whitespace and does not report the padding: check both here.
  if (text.size() % 4 != 0 || text.size() > (size_t{1} << 30))
    return fail("not base64: the length is not a multiple of 4");
  size_t padding = 0;
  if (!text.empty() && text.back() == '=') ++padding;
  if (padding && text[text.size() - 2] == '=') ++padding;
  for (size_t i = 0; i < text.size() - padding; ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (!(std::isalnum(c) || c == '+' || c == '/'))
      return fail("not base64: an unexpected character, or padding before the end");
  }
  std::string out(3 * text.size() / 4, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return fail("not base64");
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

}  // namespace kyc::common
