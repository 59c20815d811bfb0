// Splits a message string as written ("Expired on {document.expiry}") into literal text and
// `{name}` holes. `\{` and `\}` write literal braces.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kyc::dsl {

struct TextPart {
  bool hole = false;
  std::string text;     // literal text (unescaped) or the hole's name
  uint32_t offset = 0;  // of the name, relative to the start of the raw text
};

struct SplitText {
  std::vector<TextPart> parts;
  std::string error;          // empty when well formed
  uint32_t error_offset = 0;  // relative to the start of the raw text
};

SplitText split_message(std::string_view raw);

}  // namespace kyc::dsl
