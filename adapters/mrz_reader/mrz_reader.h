// Reads the machine readable zone of a document from a photo: locate the zone, cut it into
// lines, OCR each line with Tesseract, bring the lines to their format's length, repair the
// OCR confusions and check every check digit. Several readings are tried (other zones, the
// photo upside down, other binarisations) and the one whose check digits agree best is kept;
// reading stops as soon as every check digit verifies.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "adapters/mrz/mrz.h"
#include "adapters/mrz/mrz_repair.h"
#include "adapters/mrz_reader/mrz_reader_options.h"

namespace kyc::text {

enum class MrzReadOutcome {
  Valid,         // read, and every check digit verifies
  ChecksFailed,  // read as an MRZ, but some check digits fail or characters are unreadable
  Unreadable,    // a zone was found but its text is no MRZ layout
  NotFound,      // nothing on the photo looks like an MRZ
  NotAnImage,    // the bytes do not decode to an image (or it is too large)
  OcrUnavailable,  // Tesseract could not start (its language data is missing): nothing was read
};

std::string_view outcome_name(MrzReadOutcome outcome);

struct MrzStageTimes {
  int64_t find_us = 0;   // locating the zone
  int64_t ocr_us = 0;    // segmenting lines, preparing them and Tesseract
  int64_t parse_us = 0;  // fitting lengths, repair, parsing, choosing among readings
  int64_t total_us() const { return find_us + ocr_us + parse_us; }
};

struct MrzReading {
  MrzReadOutcome outcome = MrzReadOutcome::NotFound;
  bool found = false;  // a zone that looks like an MRZ was located
  // As OCR read them, laid on the format's length; '?' marks a glyph the OCR skipped.
  std::vector<std::string> lines_read;
  std::vector<std::string> lines;  // repaired: field types, the zone's own glyphs, check digits
  std::vector<MrzCorrection> corrections;
  std::optional<MrzResult> mrz;  // present when the lines parse as an MRZ layout
  double confidence = 0;         // Tesseract's mean character confidence over the lines, [0,1]
  MrzStageTimes timings;
  int ocr_passes = 0;        // how many readings of the zone were made
  cv::RotatedRect zone;      // where the chosen zone lies (in the photo turned as below)
  int quarter_turns = 0;     // the zone was found with the photo turned 90 degrees clockwise
  bool upside_down = false;  // the zone read correctly only turned 180 degrees
  std::string problem;       // OcrUnavailable: why, for the operator
};

// `image`: 8-bit greyscale, BGR or BGRA. Never throws: a Tesseract that cannot be loaded is
// the outcome OcrUnavailable.
MrzReading read_mrz(const cv::Mat& image, const MrzReaderOptions& options = {});
// `encoded`: JPEG, PNG or any format OpenCV decodes.
MrzReading read_mrz(std::span<const unsigned char> encoded, const MrzReaderOptions& options = {});

}  // namespace kyc::text
