// Base64 (RFC 4648, with padding) for binary values kept inside JSON text: a sealed personal
// fact (service/personal_seal.h) is bytes, and JSON strings hold text.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace kyc::common {

std::string base64_encode(std::string_view bytes);
// An error for anything that is not padded base64 (whitespace included).
Result<std::string> base64_decode(std::string_view text);

}  // namespace kyc::common
