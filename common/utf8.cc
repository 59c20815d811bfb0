#include "common/utf8.h"

namespace kyc::common {

namespace {

// Length of the well-formed sequence at `s[i]`, or 0.
size_t sequence_length(std::string_view s, size_t i) {
  auto at = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = at(i);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((at(i + k) & 0xC0) != 0x80) return 0;
  if (n == 2 && c < 0xC2) return 0;
  if (n == 3 && ((c == 0xE0 && at(i + 1) < 0xA0) || (c == 0xED && at(i + 1) >= 0xA0))) return 0;
  if (n == 4 && ((c == 0xF0 && at(i + 1) < 0x90) || c > 0xF4 || (c == 0xF4 && at(i + 1) >= 0x90)))
    return 0;
  return n;
}

}  // namespace

char32_t next_code_point(std::string_view text, size_t& i) {
  size_t n = sequence_length(text, i);
  if (n == 0) {
    ++i;
    return kNotUtf8;
  }
  auto c = static_cast<unsigned char>(text[i]);
  char32_t cp = n == 1 ? c : c & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
  i += n;
  return cp;
}

size_t first_non_utf8(std::string_view text) {
  for (size_t i = 0, n = 0; i < text.size(); i += n)
    if ((n = sequence_length(text, i)) == 0) return i;
  return std::string_view::npos;
}

std::string repaired_utf8(std::string_view text) {
  size_t i = first_non_utf8(text);
  if (i == std::string_view::npos) return std::string(text);  // the common case
  std::string clean(text.substr(0, i));
  clean.reserve(text.size() + 8);
  while (i < text.size()) {
    size_t n = sequence_length(text, i);
    if (n == 0) {
      clean += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
    } else {
      clean.append(text, i, n);
      i += n;
    }
  }
  return clean;
}

}  // namespace kyc::common
