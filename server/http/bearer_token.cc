#include "server/http/bearer_token.h"

#include <boost/beast/core/string.hpp>

namespace kyc::server {

std::optional<std::string_view> bearer_token(std::string_view authorization) {
  constexpr std::string_view kScheme = "Bearer";
  if (authorization.size() <= kScheme.size() ||
      !boost::beast::iequals(authorization.substr(0, kScheme.size()), kScheme) ||
      authorization[kScheme.size()] != ' ')
    return std::nullopt;
  std::string_view token = authorization.substr(kScheme.size());
  // One or more spaces between scheme and token; trailing spaces are not part of it.
  token.remove_prefix(std::min(token.find_first_not_of(' '), token.size()));
  token.remove_suffix(token.size() - std::min(token.find_last_not_of(' ') + 1, token.size()));
  if (token.empty()) return std::nullopt;
  return token;
}

}  // namespace kyc::server
