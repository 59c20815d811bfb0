// Levenshtein distance by bytes: what name_similarity() (engine) and "did you mean" (dsl)
// both measure.
#pragma once

#include <string_view>
#include <vector>

namespace kyc::common {

// `row` is scratch the caller may keep, so that a hot path does not allocate once warm.
size_t edit_distance(std::string_view a, std::string_view b, std::vector<size_t>& row);

}  // namespace kyc::common
