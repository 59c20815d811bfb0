#include "adapters/image/lighting.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace kyc::image {

namespace {}  // namespace

// From a histogram: no copy and no sort of the pixels.
double luma_percentile(const cv::Mat& block, double share) {
  int hist[256] = {};
  for (int y = 0; y < block.rows; ++y) {
    const uint8_t* row = block.ptr<uint8_t>(y);
    for (int x = 0; x < block.cols; ++x) ++hist[row[x]];
  }
  long target = static_cast<long>(share * static_cast<double>(block.total())), seen = 0;
  for (int v = 0; v < 256; ++v)
    if ((seen += hist[v]) > target) return v;
  return 255;
}

Lighting measure_lighting(const cv::Mat& bgr, const ImageOptions& o) {
  Lighting l;
  cv::Mat grey, hsv;
  cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
  cv::cvtColor(bgr, hsv, cv::COLOR_BGR2HSV);
  l.brightness = cv::mean(grey)[0];
  long blown = 0;
  for (int y = 0; y < hsv.rows; ++y) {
    const cv::Vec3b* row = hsv.ptr<cv::Vec3b>(y);
    for (int x = 0; x < hsv.cols; ++x)
      blown += row[x][2] >= o.glare_luma && row[x][1] <= o.glare_max_saturation;
  }
  l.glare = static_cast<double>(blown) / static_cast<double>(std::max<size_t>(1, hsv.total()));
  if (luma_percentile(grey, 0.6) >= o.glare_paper_max) l.glare = 0;
  // Shadow: compare the light on blocks of the document. Blocks that are mostly print or the
  // portrait are excluded by taking the 90th percentile of each.
  int n = o.shadow_grid;
  std::vector<double> levels;
  for (int by = 0; by < n; ++by)
    for (int bx = 0; bx < n; ++bx) {
      cv::Rect r(bx * grey.cols / n, by * grey.rows / n, grey.cols / n, grey.rows / n);
      if (r.area() > 0) levels.push_back(luma_percentile(grey(r), 0.9));
    }
  if (!levels.empty()) {
    std::sort(levels.begin(), levels.end());
    // The second-darkest against the second-brightest: one odd block does not decide.
    double dark = levels[std::min<size_t>(1, levels.size() - 1)];
    double lit = levels[levels.size() - std::min<size_t>(2, levels.size())];
    l.shadow = lit > 0 ? std::clamp(1.0 - dark / lit, 0.0, 1.0) : 0.0;
  }
  return l;
}

}  // namespace kyc::image
