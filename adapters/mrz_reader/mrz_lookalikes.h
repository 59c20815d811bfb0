// Every MRZ is printed in one font at one size, and the zone itself shows how it draws each
// character: in a date or check digit every glyph is a digit, in a name or country code
// every glyph is a letter. These samples settle what the OCR model cannot:
//  - a glyph read as something its field cannot hold, with no fitting runner-up (a '4' read
//    as 'G' in a check digit), or not read at all ('?'), takes the identity of the samples it
//    resembles most;
//  - letters and digits OCR-B draws alike (O and 0, I and 1, Z and 2, S and 5, G and 6, B and
//    8, D and Q and 0) cannot be told apart by the field where it holds both (document
//    numbers, optional data), and the model leans to the letter; there the samples decide,
//    for these pairs readily, for others (an '8' read as 'S' in a blurred photo) only when
//    the glyph is clearly more like another character's samples than like its own.
#pragma once

#include <span>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "adapters/mrz/mrz_repair.h"

namespace kyc::text {

using MrzGlyphWindows = std::vector<std::vector<cv::Mat>>;

// `windows[line][column]`: that character's cell (mrz_glyph_grid.h), empty where unknown.
// Lines that are no MRZ layout come back as they are from both.

// The first: for characters their field cannot hold and for '?', a glyph the OCR skipped
// (before the confusion table guesses).
MrzRepair read_misfits_by_samples(std::span<const std::string> lines,
                                  const MrzGlyphWindows& windows);

// The second: for look-alikes in fields holding letters and digits (after the table).
MrzRepair resolve_lookalikes(std::span<const std::string> lines, const MrzGlyphWindows& windows);

}  // namespace kyc::text
