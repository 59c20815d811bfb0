#include "server/http/request_target.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <charconv>

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
  for (auto segment : url.segments()) out.segments.emplace_back(segment);
  // A trailing slash is an empty last segment: "/v1/policies/" is not "/v1/policies".
  for (auto param : url.params())
    out.query.emplace_back(std::string(param.key), param.has_value ? std::string(param.value) : "");
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
