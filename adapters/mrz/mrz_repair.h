// Undoes the OCR confusions of an MRZ (O/0, I/1, B/8, ...) before parsing. Two passes:
//  1. by field type: a digit in a name or country code becomes the letter it resembles, a
//     letter in a date or check digit becomes the digit;
//  2. by check digit: a document or personal number may hold letters and digits, so the type
//     says nothing; if its check digit fails, single confusion swaps are tried and one is kept
//     only if it is the only swap that makes that check verify, and the composite check digit
//     too where the layout has one.
// Lines that are not an MRZ at all give the same MrzParseError as parse_mrz.
#pragma once

#include <boost/system/result.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "adapters/mrz/mrz_layout.h"

namespace kyc::text {

struct MrzCorrection {
  int line = 0;  // 0-based
  int column = 0;
  char original = 0;
  char corrected = 0;
  bool operator==(const MrzCorrection&) const = default;
};

struct MrzRepair {
  std::vector<std::string> lines;
  std::vector<MrzCorrection> corrections;  // ordered by line, then column
};

boost::system::result<MrzRepair, MrzParseError> repair_mrz(std::span<const std::string> lines);

// The character class of every position, from the layout's fields and check digits; a
// position outside every field (a filler run between fields) has none.
using MrzClassGrid = std::vector<std::vector<std::optional<CharClass>>>;
MrzClassGrid field_classes(std::span<const std::string> lines, const MrzLayout& layout);

}  // namespace kyc::text
