#include "common/json_text.h"

namespace kyc::common {

void append_json_string(std::string& out, std::string_view s) {
  static const char* hex = "0123456789abcdef";
  // As Boost.JSON's serializer escapes control bytes, so that decision_json() writes what
  // serializing the same JSON tree would: \b \t \n \f \r, the others as \u00XX.
  static const char* kShortEscape = "uuuuuuuubtnufruuuuuuuuuuuuuuuuuu";
  out += '"';
  // Runs of bytes that need no escape are appended whole: this runs for every fact of every
  // audit record, and byte-by-byte appends were most of its cost.
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    auto u = static_cast<unsigned char>(s[i]);
    if (u >= 0x20 && u != '"' && u != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    if (u < 0x20 && kShortEscape[u] != 'u') {
      out += '\\';
      out += kShortEscape[u];
    } else if (u < 0x20) {
      out += "\\u00";
      out += hex[u >> 4];
      out += hex[u & 15];
    } else {
      out += '\\';
      out += static_cast<char>(u);
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

}  // namespace kyc::common
