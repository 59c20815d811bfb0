#include "server/http/log_line.h"

#include <cmath>

#include "common/utf8.h"

namespace kyc::server {

namespace {

void append_log_string(std::string& out, std::string_view s) {
  if (common::is_utf8(s)) return common::append_json_string(out, s);  // the common case
  common::append_json_string(out, common::repaired_utf8(s));
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
