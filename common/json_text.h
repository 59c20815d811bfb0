// JSON text written straight into a string, for the per-request paths (facts of an audit
// record, the access log line) where building a JSON tree first would cost more than the rest.
#pragma once

#include <charconv>
#include <string>
#include <string_view>

namespace kyc::common {

// `s` as a JSON string literal, escaped exactly as Boost.JSON's serializer does: quotes,
// backslashes and control characters; other bytes pass through (callers hand in text that
// was valid UTF-8 when it was read).
void append_json_string(std::string& out, std::string_view s);

// An integer or a double in its shortest exact form.
template <typename Number>
void append_json_number(std::string& out, Number n) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, end);
}

}  // namespace kyc::common
