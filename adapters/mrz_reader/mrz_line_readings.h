// From OCR readings of a zone's lines to the MRZ they best support. Each line may have been
// read several times (other binarisations); every reading is laid on the line's glyph cells
// to the lengths the formats allow, the combinations are repaired (field types, the
// document's own glyphs, check digits) and parsed, and the one that verifies best is kept.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "adapters/mrz/mrz.h"
#include "adapters/mrz_reader/mrz_glyph_grid.h"
#include "adapters/mrz_reader/mrz_ocr.h"

namespace kyc::text {

// One OCR reading of one line, with the line's character cells measured on the same image.
struct LineRead {
  std::string text;
  std::vector<OcrSymbol> symbols;
  double confidence = 0;
  std::optional<GlyphLine> glyphs;
};

// One reading of every line of a zone: one orientation, one preparation of the lines.
struct PassRead {
  std::vector<LineRead> lines;
};

// One way of reading a zone as an MRZ.
struct MrzCandidate {
  std::vector<std::string> read;   // the lines as read, fitted to the format's length
  std::vector<std::string> lines;  // repaired
  MrzResult result;
  double confidence = 0;
  int misfit = 0;  // characters added or removed to fit the lines to the format's length
  int lines_on_cells = 0;
  int changed = 0;  // characters the repairs changed
  int guessed = 0;  // of which changed by the check-digit search alone
};

// Whether `a` is the likelier reading of the two (see the definition for the order).
bool better_reading(const MrzCandidate& a, const MrzCandidate& b);

// The best reading of one zone in one orientation, from all passes made so far (each with
// the same lines); nullopt when no combination parses as an MRZ.
std::optional<MrzCandidate> best_reading(const std::vector<PassRead>& passes);

}  // namespace kyc::text
