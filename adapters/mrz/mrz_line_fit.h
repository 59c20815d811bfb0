// Brings a line of MRZ text as OCR read it to the exact length of its format (30, 36 or 44
// characters) by its text alone. OCR of an MRZ mostly errs on the filler: a run of '<' comes
// back a few characters too long or too short, since nothing in the shapes tells how many
// there are. The reader prefers laying the characters on the line's measured glyph cells
// (mrz_line_readings.h) and falls back on this where the cells disagree with the length.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kyc::text {

// The line lengths worth trying for these lines, most likely first: 3 lines are TD1 (30);
// 2 lines are 44 (TD3, MRV-A) or 36 (TD2, MRV-B), the nearer to what was read first.
std::vector<int> candidate_line_lengths(std::span<const std::string> lines);

// By the text alone: the longest filler run (the rightmost of equals) grows or shrinks one
// '<' at a time; a line with no run of two fillers is padded with '<' or cut at the end.
std::string fit_filler_runs(std::string_view text, int length);

}  // namespace kyc::text
