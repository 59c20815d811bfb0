// Decision ids: 26 characters of Crockford base32 (a ULID): 48 bits of milliseconds since the
// epoch, then 80 random bits. Sorting ids sorts decisions by time; ids made in the same
// millisecond by one process still increase, and random bits keep restarts apart.
#pragma once

#include <string>

namespace kyc::service {

std::string new_decision_id();

}  // namespace kyc::service
