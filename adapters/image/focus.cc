#include "adapters/image/focus.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "adapters/image/lighting.h"

namespace kyc::image {

// Why this measure. A camera records every edge convolved with its blur: a step of height H
// whose light is spread over w pixels rises with a slope of about H / w, whatever H is. So the
// ratio of an edge's step (the luma range around it) to its steepest slope is the width the
// lens or the motion spread it over: about 2 px for a sharp edge on the 1024 px copy (the
// Sobel kernel's own width), 2.5 sigma for a Gaussian defocus of sigma. Unlike the variance of
// the Laplacian (`image.blur`) it does not depend on how much print or contrast there is, and
// it needs no outline: a document too blurred for its border to be found still has edges.
//
// Only strong steps count (a print stroke, the card's border, the MRZ band, the portrait):
// grain and faint texture are too weak to measure a width on. Of those, the sharpest tenth is
// kept: a photo in focus has sharp edges somewhere, while soft design (a gradient, a shadow's
// penumbra) has wide ones in any photo. Motion blur spreads only the edges across the motion,
// so the widths are read per edge direction (four bins of 45 degrees) and the most spread
// direction is the figure.
Focus measure_focus(const cv::Mat& grey_in, const ImageOptions& o) {
  Focus focus;
  const cv::Mat grey = stretched_luma(grey_in, CV_32F);
  if (grey.empty()) return focus;  // a frame without contrast has no edges to measure
  cv::Mat grey8;
  grey.convertTo(grey8, CV_8U);

  cv::Mat gx, gy, slope;
  cv::Sobel(grey, gx, CV_32F, 1, 0, 3, 1.0 / 8);
  cv::Sobel(grey, gy, CV_32F, 0, 1, 3, 1.0 / 8);
  cv::magnitude(gx, gy, slope);
  const int r = o.focus_step_radius;
  const cv::Mat window = cv::getStructuringElement(cv::MORPH_RECT, {2 * r + 1, 2 * r + 1});
  // The step on 8 bits (the wide window is the costly part, and runs fastest on bytes); the
  // slope on the unrounded luma, since a blurred edge rises by a few levels per pixel.
  cv::Mat high, low, peak;
  cv::dilate(grey8, high, window);
  cv::erode(grey8, low, window);
  cv::dilate(slope, peak, cv::Mat());  // 3x3: an edge is measured where its slope peaks

  std::array<std::vector<float>, 4> widths;  // per edge direction: 0, 45, 90, 135 degrees
  if (o.debug_pictures) cv::cvtColor(grey_in, focus.picture, cv::COLOR_GRAY2BGR);
  for (int y = 0; y < grey.rows; ++y) {
    const float* s = slope.ptr<float>(y);
    const float* p = peak.ptr<float>(y);
    const uchar* h = high.ptr<uchar>(y);
    const uchar* l = low.ptr<uchar>(y);
    const float* dx = gx.ptr<float>(y);
    const float* dy = gy.ptr<float>(y);
    for (int x = 0; x < grey.cols; ++x) {
      const float step = static_cast<float>(h[x] - l[x]);
      if (step < o.focus_min_step || s[x] < 1 || s[x] < p[x]) continue;
      // Direction of the gradient folded to 0..180 degrees, binned to the nearest of four.
      double angle = std::atan2(dy[x], dx[x]) * 180 / CV_PI;
      if (angle < 0) angle += 180;
      const int bin = static_cast<int>((angle + 22.5) / 45) % 4;
      const float width = step / s[x];
      widths[bin].push_back(width);
      if (!focus.picture.empty()) {
        // Green at 2 px (sharp) to red at 16 px and wider.
        const double t = std::clamp((width - 2.0) / 14.0, 0.0, 1.0);
        focus.picture.at<cv::Vec3b>(y, x) = {0, static_cast<uchar>(255 * (1 - t)),
                                             static_cast<uchar>(255 * t)};
      }
    }
  }
  for (auto& w : widths) {
    if (w.size() < static_cast<size_t>(o.focus_min_edges)) continue;
    const double rank = o.focus_sharpest_share * static_cast<double>(w.size() - 1);
    auto at = w.begin() + static_cast<long>(rank);
    std::nth_element(w.begin(), at, w.end());
    focus.spread = std::max(focus.spread.value_or(0.0), static_cast<double>(*at));
  }
  return focus;
}

}  // namespace kyc::image
