// Finds the machine readable zone on a photo of a document: two or three long, parallel,
// evenly spaced lines of monospaced dark characters of one height, usually at the bottom.
// Works on the whole photo or on a perspective-corrected crop of the document.
#pragma once

#include <vector>

#include <opencv2/core.hpp>

#include "adapters/mrz_reader/mrz_reader_options.h"

namespace kyc::text {

struct MrzZone {
  // The zone cut out of the photo and turned so its lines run horizontally. It may still be
  // upside down: the locator cannot tell, the OCR can.
  cv::Mat crop;
  // Where the zone lies in the photo (after `quarter_turns`), in the photo's pixels.
  cv::RotatedRect box;
  int quarter_turns = 0;   // 1: the photo was turned 90 degrees clockwise to find the zone
  int line_bands = 0;      // text bands grouped into the zone: 2 or 3, 1 when only one was seen
  double char_height = 0;  // estimated character height in `crop` pixels
  double score = 0;        // higher is more MRZ-like; comparable between zones of one photo
};

// Candidate zones best first, at most `options.max_zones`. `grey` is 8-bit single channel.
std::vector<MrzZone> locate_mrz(const cv::Mat& grey, const MrzReaderOptions& options);

}  // namespace kyc::text
