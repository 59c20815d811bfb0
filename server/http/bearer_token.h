// The token of an `Authorization: Bearer TOKEN` header (RFC 6750, 2.1). The scheme's name is
// case-insensitive (RFC 9110, 11.1): `bearer` and `BEARER` are the same scheme, and a client
// that sends either is not an unknown token that counts towards --bad-token-limit.
#pragma once

#include <optional>
#include <string_view>

namespace kyc::server {

// The token, or nullopt when the header is not the Bearer scheme with a token after it.
std::optional<std::string_view> bearer_token(std::string_view authorization);

}  // namespace kyc::server
