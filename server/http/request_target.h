// The request target (origin form: path and query) as RFC 3986 reads it, by Boost.URL: path
// segments and query parameters percent-decoded once, here, so that no handler compares an
// encoded text (`?access%5Ftoken=` is `access_token`) and an id may hold any character.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kyc::server {

struct RequestTarget {
  std::vector<std::string> segments;  // decoded; "/v1/accounts/a%2Fb" -> v1, accounts, a/b
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order ("" for `?x`)

  std::optional<std::string> param(std::string_view name) const;
};

// nullopt when the text is not an origin-form target (a bad escape, a control byte, no '/') or
// a segment or query text does not decode to UTF-8.
std::optional<RequestTarget> parse_target(std::string_view target);

// A query value as a whole number in [min, max]: "12abc", "", "-1" below 0, or "99999999999"
// over the range are errors, never a prefix or a wrap-around.
std::optional<long long> whole_number(std::string_view text, long long min, long long max);

}  // namespace kyc::server
