// Characters that OCR engines read for one another in the OCR-B font of an MRZ: a letter
// and the digit of nearly the same shape (O/0, I/1, Z/2, S/5, G/6, B/8, and D, Q for 0).
#pragma once

#include <string_view>

namespace kyc::text {

// The digit a letter is mistaken for, or the character itself if it has none.
char as_digit(char c);
// The letter a digit is mistaken for, or the character itself if it has none.
char as_letter(char c);
// Every character `c` may have been read for (letters for a digit, the digit for a letter).
std::string_view confusable_with(char c);

}  // namespace kyc::text
