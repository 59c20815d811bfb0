// The ICAO 9303 check digit (Part 3, 4.9): each character's value times the weights 7, 3, 1
// (repeating), summed, mod 10. Digits count as themselves, A-Z as 10-35, the filler '<' as 0.
#pragma once

#include <optional>
#include <string_view>

namespace kyc::text {

constexpr char kMrzFiller = '<';

// True for the characters an MRZ may hold: A-Z, 0-9 and '<'.
bool is_mrz_char(char c);
// A character's value in the check-digit sum; nullopt outside the MRZ character set.
std::optional<int> mrz_char_value(char c);
// The check digit over `text`; nullopt if any character is outside the MRZ set, because a
// digit computed over text the reader did not understand would prove nothing.
std::optional<int> compute_check_digit(std::string_view text);

}  // namespace kyc::text
