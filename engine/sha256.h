// SHA-256 as lower-case hex (OpenSSL): policy identities and the audit chain use it.
#pragma once

#include <string>
#include <string_view>

namespace kyc::engine {

std::string sha256_hex(std::string_view bytes);

}  // namespace kyc::engine
