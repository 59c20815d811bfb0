#include "adapters/mrz/mrz_line_fit.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "adapters/mrz/mrz_check_digit.h"

namespace kyc::text {

namespace {

// [begin, end) of the longest run of fillers, the rightmost of equals; {0, 0} when none.
std::pair<size_t, size_t> longest_filler_run(const std::string& text) {
  std::pair<size_t, size_t> best{0, 0};
  for (size_t i = 0; i < text.size();) {
    if (text[i] != kMrzFiller) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < text.size() && text[j] == kMrzFiller) ++j;
    if (j - i >= best.second - best.first) best = {i, j};
    i = j;
  }
  return best;
}

}  // namespace

std::vector<int> candidate_line_lengths(std::span<const std::string> lines) {
  if (lines.size() == 3) return {30};
  if (lines.size() != 2) return {};
  const double mean = 0.5 * static_cast<double>(lines[0].size() + lines[1].size());
  if (std::abs(mean - 36) < std::abs(mean - 44)) return {36, 44};
  return {44, 36};
}

std::string fit_filler_runs(std::string_view text, int length) {
  std::string out(text);
  const size_t target = static_cast<size_t>(std::max(0, length));
  while (out.size() != target) {
    const auto [begin, end] = longest_filler_run(out);
    if (out.size() > target) {
      if (end - begin >= 2)
        out.erase(end - 1, 1);
      else
        out.resize(target);
    } else {
      if (end - begin >= 2)
        out.insert(end, 1, kMrzFiller);
      else
        out.append(target - out.size(), kMrzFiller);
    }
  }
  return out;
}

}  // namespace kyc::text
