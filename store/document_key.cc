#include "store/document_key.h"

#include <cctype>

#include "common/secret_file.h"
#include "common/utf8.h"

namespace kyc::store {

common::Result<DocumentKey> DocumentKey::load_or_create(const std::string& path) {
  auto key = common::read_or_create_key_file(path, "document key");
  if (!key) return key.error();
  auto mac = common::HmacSha256::with_key(*key);
  if (!mac) return mac.error();
  return DocumentKey(std::move(*mac));
}

namespace {

// Spacing and joining characters a number may be written with: no-break, en/em and other
// spaces, zero-width and direction marks, Unicode hyphens and dashes, the minus sign, the
// ideographic space and the byte-order mark.
bool is_unicode_separator(char32_t cp) {
  return cp == 0xA0 || cp == 0xAD || cp == 0x1680 || cp == 0x180E ||
         (cp >= 0x2000 && cp <= 0x2015) || (cp >= 0x2028 && cp <= 0x202F) ||
         (cp >= 0x205F && cp <= 0x2064) || cp == 0x2212 || cp == 0x3000 || cp == 0xFEFF;
}

}  // namespace

std::optional<std::string> canonical_document_number(std::string_view number) {
  std::string canonical;
  canonical.reserve(number.size());
  for (size_t i = 0; i < number.size();) {
    char32_t cp = common::next_code_point(number, i);
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;  // fullwidth ASCII
    if (cp < 0x80) {
      if (std::isalnum(static_cast<int>(cp)))
        canonical += static_cast<char>(std::toupper(static_cast<int>(cp)));
      continue;  // ASCII punctuation, spaces and controls separate
    }
    if (!is_unicode_separator(cp)) return std::nullopt;
  }
  if (canonical.empty()) return std::nullopt;
  return canonical;
}

std::optional<std::string> DocumentKey::hash(std::string_view number) const {
  auto canonical = canonical_document_number(number);
  if (!canonical) return std::nullopt;
  return mac_.hex({*canonical});
}

}  // namespace kyc::store
