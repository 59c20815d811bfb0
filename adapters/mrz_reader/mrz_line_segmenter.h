// Splits a located MRZ into its text lines by the ink in each row (a horizontal projection
// profile): the lines of an MRZ are separated by clear rows, and each line is as tall as one
// character since OCR-B capitals and digits have no descenders.
#pragma once

#include <vector>

#include <opencv2/core.hpp>

namespace kyc::text {

struct MrzLineBox {
  cv::Rect box;            // tight around the line's characters, in the zone crop's pixels
  double char_height = 0;  // height of the inked rows
};

// Top to bottom; 2 or 3 lines for a real MRZ, but whatever was seen is returned (the reader
// decides). `zone` is 8-bit greyscale with the lines horizontal; `char_height_hint` is the
// locator's estimate.
std::vector<MrzLineBox> segment_mrz_lines(const cv::Mat& zone, double char_height_hint);

// The dark strokes of `image` as white on black, the background (gradients, guilloches,
// uneven light) removed by a morphological blackhat with a kernel larger than a stroke.
cv::Mat ink_mask(const cv::Mat& image, double char_height);

}  // namespace kyc::text
