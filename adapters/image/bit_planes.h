// Up to eight binary masks kept as the bits of one byte per pixel, and widened together.
// The outline search keeps its four edge directions so (document_detector.cc): one image to
// fill, widen and look up instead of four, and the union of the four is its non-zero pixels.
#pragma once

#include <opencv2/core.hpp>

namespace kyc::image {

// `bits` (CV_8U) with each pixel's bits ORed over the (2r+1)-pixel square around it: for
// every bit, what cv::dilate with that square gives its mask. Pixels outside the image do
// not count, as in cv::dilate's default border.
cv::Mat dilated_bits(const cv::Mat& bits, int r);

}  // namespace kyc::image
