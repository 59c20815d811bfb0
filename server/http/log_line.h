// One structured log line: a JSON object written by this one writer, for the access log and
// every event (start, reload, errors), so that no value (an exception's text, a path, a
// policy name) can break a line or forge a field. Strings are escaped, and bytes that are not
// UTF-8 become U+FFFD: a log shipper that parses strictly never drops a line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/json_text.h"

namespace kyc::server {

class LogLine {
 public:
  LogLine() { out_.reserve(256); }
  // A line for an event: {"event":"NAME",...}
  static LogLine event(std::string_view name) { return LogLine().add("event", name); }

  LogLine& add(std::string_view key, std::string_view value);
  LogLine& add(std::string_view key, const char* value) {
    return add(key, std::string_view(value));
  }
  LogLine& add(std::string_view key, const std::string& value) {
    return add(key, std::string_view(value));
  }
  LogLine& add(std::string_view key, bool value) {
    name(key);
    out_ += value ? "true" : "false";
    return *this;
  }
  template <typename Number>
  requires std::is_arithmetic_v<Number> LogLine& add(std::string_view key, Number value) {
    name(key);
    common::append_json_number(out_, value);
    return *this;
  }

  // Named times in milliseconds as one object, {"stage": ms, ...}, to 0.1 ms.
  LogLine& add(std::string_view key, const std::vector<std::pair<std::string, double>>& times);

  // The finished line (the object closed).
  std::string str() const { return out_.empty() ? "{}" : out_ + "}"; }

 private:
  void name(std::string_view key);
  std::string out_;
};

}  // namespace kyc::server
