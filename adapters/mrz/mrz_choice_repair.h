// Repairs an MRZ with what the OCR thought each character might also be, where the fixed
// confusion table of mrz_repair.h falls short: an '8' read as 'E' in a date, or a document
// number with several confusions in it (one check digit can only vouch for one swap, and for
// TD3 the composite is no second witness: it sums the number with the same weights).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "adapters/mrz/mrz_layout.h"
#include "adapters/mrz/mrz_repair.h"

namespace kyc::text {

struct MrzCharChoice {
  char character = '<';
  float probability = 0;  // [0,1]
};

// Per line, per column: the OCR's readings of that character, likeliest first; empty where
// nothing is known. Lines and columns as in the MRZ text.
using MrzChoices = std::vector<std::vector<std::vector<MrzCharChoice>>>;

// A character its field cannot hold (a letter in a date, a digit in a name) becomes the
// likeliest of the OCR's other readings that the field can hold, if there is one.
// `lines` must be an MRZ layout's lines, else they are returned as they are.
MrzRepair prefer_choices_fitting_fields(std::span<const std::string> lines,
                                        const MrzChoices& choices);

// For each check digit that fails, the cheapest set of at most `max_changes` changes to the
// characters it protects (or to the digit itself) that makes it verify, if no other set comes
// near it in cost. A change costs little when the OCR saw the new character as an option,
// more when only the confusion table suggests it; the table alone never turns a digit into a
// letter (the OCR model prefers letters, so a digit it read is good evidence), and two changes
// are made only where the OCR was torn on both. The composite is tried last, over the
// characters no other check protects. Lines that are no MRZ layout are returned as they are.
MrzRepair search_check_digits(std::span<const std::string> lines, const MrzChoices& choices,
                              int max_changes = 2);

}  // namespace kyc::text
