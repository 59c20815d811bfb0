// Decision ids: 26 characters of Crockford base32 (128 bits, ULID layout): 48 bits of
// milliseconds since the epoch, 10 bits of the microsecond within it, then 70 random bits drawn
// fresh for every id. Sorting ids sorts decisions by time, and ids made by one thread strictly
// increase; the random part is never derived from the previous id's, so an id says nothing
// about the next one (one connection's ids used to differ by 1).
#pragma once

#include <string>

namespace kyc::service {

std::string new_decision_id();

}  // namespace kyc::service
