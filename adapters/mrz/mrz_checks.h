// The check digits of one read MRZ: which text each protects and whether it verifies. Shared
// by the parser (to report) and the OCR repair (to try corrections against).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "adapters/mrz/mrz_layout.h"

namespace kyc::text {

struct MrzCheckDigit {
  MrzCheck check = MrzCheck::Composite;
  char printed = '<';           // the character found in the check digit position
  std::optional<int> computed;  // nullopt when the protected text has non-MRZ characters
  bool verified = false;
  MrzSpan position;  // where `printed` was found
};

// ICAO 9303 Parts 5 and 6: a TD1/TD2 document number longer than 9 characters puts '<' in
// the check digit position and continues in the optional data up to the next '<'; the last
// character before that filler is the number's check digit.
struct LongDocumentNumber {
  std::string continuation;  // the characters after the first 9, without the check digit
  MrzSpan check_digit;
};

// nullopt when the layout has no such rule or the number is not continued.
std::optional<LongDocumentNumber> find_long_document_number(std::span<const std::string> lines,
                                                            const MrzLayout& layout);

// The layout's checks, with the document number's moved as the long-number rule says.
std::vector<MrzCheckSpec> checks_for(std::span<const std::string> lines, const MrzLayout& layout);

// `lines` must have the layout's line lengths (detect_format guarantees it).
std::vector<MrzCheckDigit> evaluate_checks(std::span<const std::string> lines,
                                           const MrzLayout& layout);

std::string span_text(std::span<const std::string> lines, MrzSpan span);

}  // namespace kyc::text
