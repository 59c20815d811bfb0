#include "adapters/mrz/mrz_check_digit.h"

namespace kyc::text {

bool is_mrz_char(char c) { return mrz_char_value(c).has_value(); }

std::optional<int> mrz_char_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  if (c == kMrzFiller) return 0;
  return std::nullopt;
}

std::optional<int> compute_check_digit(std::string_view text) {
  static constexpr int kWeights[] = {7, 3, 1};
  int sum = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    auto value = mrz_char_value(text[i]);
    if (!value) return std::nullopt;
    // Kept reduced so that no input length can overflow the sum.
    sum = (sum + *value * kWeights[i % 3]) % 10;
  }
  return sum;
}

}  // namespace kyc::text
