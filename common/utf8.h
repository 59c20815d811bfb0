// Well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF). The
// JSON the service writes must parse in a strict client, and Boost.JSON writes a string's bytes
// as they are: text that did not come through the JSON parser (a percent-decoded path, a
// multipart part's name, a line of an imported file) is checked or repaired with these first.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kyc::common {

// The offset of the first byte that does not begin a well-formed sequence, or npos.
size_t first_non_utf8(std::string_view text);

inline bool is_utf8(std::string_view text) {
  return first_non_utf8(text) == std::string_view::npos;
}

// The code point at `text[i]`, advancing `i` past it; kNotUtf8 for a byte that begins no
// well-formed sequence (then `i` moves one byte on).
inline constexpr char32_t kNotUtf8 = 0xFFFFFFFF;
char32_t next_code_point(std::string_view text, size_t& i);

// `text` with every byte that is not part of a well-formed sequence replaced by U+FFFD.
std::string repaired_utf8(std::string_view text);

}  // namespace kyc::common
