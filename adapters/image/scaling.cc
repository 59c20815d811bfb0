#include "adapters/image/scaling.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace kyc::image {

namespace {
constexpr double kHalfSlack = 0.9;
}  // namespace

cv::Mat scaled(const cv::Mat& image, double k) {
  cv::Size target(std::max(1, static_cast<int>(std::lround(image.cols * k))),
                  std::max(1, static_cast<int>(std::lround(image.rows * k))));
  cv::Mat out = image;
  // A half that falls a little short of the target is still taken (and enlarged after):
  // 2000 px to 1024 px is an exact half and a 2% bilinear enlargement, not a 1.95x shrink.
  auto half_is_near_enough = [&](const cv::Mat& m) {
    return m.cols / 2 >= kHalfSlack * target.width && m.rows / 2 >= kHalfSlack * target.height;
  };
  while (half_is_near_enough(out)) {
    // OpenCV takes its fast path only for an exact factor: an odd last row or column is left.
    cv::Mat even = out(cv::Rect(0, 0, out.cols & ~1, out.rows & ~1)), half;
    cv::resize(even, half, {even.cols / 2, even.rows / 2}, 0, 0, cv::INTER_AREA);
    out = half;
  }
  if (out.size() == target) return out.data == image.data ? image.clone() : out;
  cv::Mat result;
  bool shrinking = target.width < out.cols;
  cv::resize(out, result, target, 0, 0, shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
  return result;
}

cv::Mat scaled_to_width(const cv::Mat& image, int width) {
  return scaled(image, static_cast<double>(width) / std::max(1, image.cols));
}

}  // namespace kyc::image
