// Decision outcomes, ordered by severity: a decision takes the highest of its reasons.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace kyc::engine {

enum class Outcome : uint8_t { Approve = 0, Resubmit = 1, Review = 2, Reject = 3 };

std::string_view outcome_name(Outcome o);
std::optional<Outcome> parse_outcome(std::string_view s);

}  // namespace kyc::engine
