// Resizing images fast. OpenCV's INTER_AREA averages exactly, but for a factor that is not a
// whole number it takes 10 ms on a 2000 x 1500 photo, against 0.6 ms for an exact half. So an
// image is shrunk by exact halves (area averaging, no aliasing) while a half is no smaller
// than 90% of the target, then by one step for the last factor: a small bilinear enlargement,
// or an area-averaged shrink under 2x on an image already near the target.
#pragma once

#include <opencv2/core.hpp>

namespace kyc::image {

// `image` scaled by `k` (k > 1 enlarges, bilinear). Always a new matrix.
cv::Mat scaled(const cv::Mat& image, double k);

// `image` scaled so that its width is `width`.
cv::Mat scaled_to_width(const cv::Mat& image, int width);

}  // namespace kyc::image
