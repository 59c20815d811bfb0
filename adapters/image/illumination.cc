#include "adapters/image/illumination.h"

#include <opencv2/imgproc.hpp>

#include "adapters/image/lighting.h"

namespace kyc::image {

Illumination illumination_of(const cv::Mat& grey, const ImageOptions& o) {
  // The light is estimated on a small copy: it varies slowly (but for a shadow's edge), and a
  // small copy keeps the wide filters cheap.
  double k = 1.0 / o.illumination_reduction;
  cv::Mat small, light;
  cv::resize(grey, small, {}, k, k, cv::INTER_AREA);
  // The brightest level nearby is the paper's or the table's, not the print's: dark text and
  // lines narrower than the window are lifted away before smoothing.
  int w = o.illumination_window;
  cv::dilate(small, light, cv::getStructuringElement(cv::MORPH_RECT, {w, w}));
  cv::blur(light, light, {w, w});
  Illumination result;
  const LumaHistogram levels(light);
  double dark = levels.at(o.shadow_share), typical = levels.at(0.5);
  result.shaded = dark < o.shadow_light_ratio * typical;
  if (!result.shaded) return result;  // nothing to flatten: the copy is not searched
  cv::resize(light, light, grey.size(), 0, 0, cv::INTER_LINEAR);
  cv::Mat ratio;
  grey.convertTo(ratio, CV_32F);
  light.convertTo(light, CV_32F);
  cv::divide(ratio, cv::max(light, 1.0), ratio);
  cv::normalize(ratio, result.flattened, 0, 255, cv::NORM_MINMAX, CV_8U);
  return result;
}

}  // namespace kyc::image
