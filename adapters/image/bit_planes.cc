#include "adapters/image/bit_planes.h"

#include <algorithm>

namespace kyc::image {

// Separable: rows first, then columns, each as the image ORed with copies of itself shifted
// by up to r pixels, so that OpenCV's vector code does the work (a loop per pixel was slower
// than the four dilations it replaced: the compiler does not vectorise byte loops that may
// alias at -O2).
cv::Mat dilated_bits(const cv::Mat& bits, int r) {
  const int w = bits.cols, h = bits.rows;
  cv::Mat across = bits.clone();
  for (int i = 1; i <= std::min(r, w - 1); ++i) {
    cv::Mat left = across(cv::Rect(0, 0, w - i, h)), right = across(cv::Rect(i, 0, w - i, h));
    left |= bits(cv::Rect(i, 0, w - i, h));
    right |= bits(cv::Rect(0, 0, w - i, h));
  }
  cv::Mat out = across.clone();
  for (int j = 1; j <= std::min(r, h - 1); ++j) {
    cv::Mat top = out(cv::Rect(0, 0, w, h - j)), bottom = out(cv::Rect(0, j, w, h - j));
    top |= across(cv::Rect(0, j, w, h - j));
    bottom |= across(cv::Rect(0, 0, w, h - j));
  }
  return out;
}

}  // namespace kyc::image
