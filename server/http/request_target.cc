#include "server/http/request_target.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <charconv>

#include "common/utf8.h"

namespace kyc::server {

std::optional<std::string> RequestTarget::param(std::string_view name) const {
  for (const auto& [key, value] : query)
    if (key == name) return value;
  return std::nullopt;
}

std::optional<RequestTarget> parse_target(std::string_view target) {
  auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) return std::nullopt;
  const boost::urls::url_view& url = *parsed;
  RequestTarget out;
  // Decoded text must be UTF-8: an id or a value reaches JSON answers and the records, and
  // `%FF` would make them text no strict client parses.
  for (auto segment : url.segments()) {
    if (!common::is_utf8(out.segments.emplace_back(segment))) return std::nullopt;
  }
  // A trailing slash is an empty last segment: "/v1/policies/" is not "/v1/policies".
  for (auto param : url.params()) {
    // A bare `?` or `&&` names nothing (a client that appends `?` before every query): not a
    // parameter with an empty name, which routes would refuse as unknown.
    if (param.key.empty() && !param.has_value) continue;
    const auto& [key, value] = out.query.emplace_back(
        std::string(param.key), param.has_value ? std::string(param.value) : "");
    if (!common::is_utf8(key) || !common::is_utf8(value)) return std::nullopt;
  }
  return out;
}

std::optional<long long> whole_number(std::string_view text, long long min, long long max) {
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  if (value < min || value > max) return std::nullopt;
  return value;
}

}  // namespace kyc::server
