#include "server/http/log_line.h"

#include <cmath>

namespace kyc::server {

namespace {

// Length of the well-formed UTF-8 sequence at `s[i]`, or 0 (RFC 3629: no overlongs, no
// surrogates, nothing past U+10FFFF).
size_t utf8_sequence(std::string_view s, size_t i) {
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

void append_log_string(std::string& out, std::string_view s) {
  size_t i = 0, n = 0;
  while (i < s.size() && (n = utf8_sequence(s, i)) != 0) i += n;
  if (i == s.size()) return common::append_json_string(out, s);  // the common case
  std::string clean;
  clean.reserve(s.size() + 8);
  for (i = 0; i < s.size();) {
    n = utf8_sequence(s, i);
    if (n == 0) {
      clean += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
    } else {
      clean.append(s, i, n);
      i += n;
    }
  }
  common::append_json_string(out, clean);
}

}  // namespace

void LogLine::name(std::string_view key) {
  out_ += out_.empty() ? "{" : ",";
  common::append_json_string(out_, key);
  out_ += ':';
}

LogLine& LogLine::add(std::string_view key, std::string_view value) {
  name(key);
  append_log_string(out_, value);
  return *this;
}

LogLine& LogLine::add(std::string_view key,
                      const std::vector<std::pair<std::string, double>>& times) {
  name(key);
  out_ += '{';
  for (size_t i = 0; i < times.size(); ++i) {
    if (i) out_ += ',';
    append_log_string(out_, times[i].first);
    out_ += ':';
    common::append_json_number(out_, std::round(times[i].second * 10) / 10);
  }
  out_ += '}';
  return *this;
}

}  // namespace kyc::server
