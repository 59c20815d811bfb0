#include "dsl/message_text.h"

#include "dsl/parser.h"

namespace kyc::dsl {

SplitText split_message(std::string_view raw) {
  SplitText out;
  std::string literal;
  auto flush = [&] {
    if (!literal.empty()) out.parts.push_back({false, unescape(literal), 0});
    literal.clear();
  };
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\\' && i + 1 < raw.size()) {
      literal += raw.substr(i, 2);
      ++i;
    } else if (c == '{') {
      size_t close = raw.find('}', i);
      if (close == std::string_view::npos) {
        out.error = "unclosed '{' in message (write \\{ for a literal brace)";
        out.error_offset = static_cast<uint32_t>(i);
        return out;
      }
      std::string_view name = raw.substr(i + 1, close - i - 1);
      size_t first = name.find_first_not_of(' '), last = name.find_last_not_of(' ');
      if (first == std::string_view::npos) {
        out.error = "empty '{}' in message";
        out.error_offset = static_cast<uint32_t>(i);
        return out;
      }
      flush();
      out.parts.push_back({true, std::string(name.substr(first, last - first + 1)),
                           static_cast<uint32_t>(i + 1 + first)});
      i = close;
    } else if (c == '}') {
      out.error = "unmatched '}' in message (write \\} for a literal brace)";
      out.error_offset = static_cast<uint32_t>(i);
      return out;
    } else {
      literal += c;
    }
  }
  flush();
  return out;
}

}  // namespace kyc::dsl
