// "did you mean" for a name that is not known: the closest candidate by edit distance, if it
// is close enough to be a typo (at most a quarter of the name's letters, and at least 2).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kyc::dsl {

// " (did you mean 'X'?)", or "" when no candidate is close.
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace kyc::dsl
