// The service clock as decisions and logs record it: RFC 3339 in UTC with milliseconds.
#pragma once

#include <string>

namespace kyc::service {

std::string now_rfc3339();

}  // namespace kyc::service
