#include "dsl/did_you_mean.h"

#include <algorithm>

#include "common/edit_distance.h"

namespace kyc::dsl {

std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = std::max<size_t>(2, name.size() / 4) + 1;
  std::vector<size_t> row;
  for (const auto& c : candidates) {
    size_t d = common::edit_distance(name, c, row);
    if (d < best_d) best_d = d, best = c;
  }
  return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

}  // namespace kyc::dsl
