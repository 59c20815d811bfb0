// How the document is lit: glare, shadow and exposure, measured on the rectified document (or
// the whole frame when none was found) at a fixed size, each from what a camera records
// (see glare.h, light_field.h and measure_lighting below).
#pragma once

#include <array>
#include <opencv2/core.hpp>

#include "adapters/image/image_options.h"

namespace kyc::image {

// The masks each measure used, for `kyc analyze --debug`: 8-bit, the measured document's size.
// The light field and the crushed mask are kept only with ImageOptions::debug_pictures.
struct LightingMasks {
  cv::Mat glare;    // 255 on specular highlights
  cv::Mat light;    // the light field on the paper (grey levels)
  cv::Mat clipped;  // 255 where any channel is clipped
  cv::Mat crushed;  // 255 where every channel is crushed black
};

struct Lighting {
  double brightness = 0;   // mean luma, 0..255 (not a verdict: a white page is bright)
  double glare = 0;        // share of the document under specular highlights, 0..1
  double shadow = 0;       // 1 - (dim light / bright light) on the paper, 0..1
  double clipped = 0;      // share of the document clipped in any channel, 0..1
  double black_level = 0;  // the document's ink: its ink_share luma percentile, 0..255
  double white_level = 0;  // its paper: its 1 - ink_share luma percentile, 0..255
  LightingMasks masks;
};

// `bgr` is 8-bit, three channels.
Lighting measure_lighting(const cv::Mat& bgr, const ImageOptions& options);

// The levels of an 8-bit one-channel image (or of its pixels where `mask` is non-zero),
// counted once: several percentiles of one image cost one pass over it.
class LumaHistogram {
 public:
  explicit LumaHistogram(const cv::Mat& grey, const cv::Mat& mask = cv::Mat());
  // The level that `share` (0..1) of the counted pixels do not exceed; -1 when none were.
  double at(double share) const;

 private:
  std::array<long, 256> counts_{};
  long total_ = 0;
};

// The luma level that `share` (0..1) of an 8-bit one-channel image's pixels do not exceed.
// In a block of a lit document most pixels are paper, so a high one follows the light.
double luma_percentile(const cv::Mat& grey, double share);
// The same over the pixels where `mask` is non-zero; -1 when there are none.
double masked_percentile(const cv::Mat& grey, const cv::Mat& mask, double share);

// The luma stretched so that its 1st and 99th percentiles span 0..255, as `type` (CV_8U or
// CV_32F, unclipped): sharpness and focus are read on it, so a dark or washed-out photo's
// edges count as much as a well exposed one's. Empty when that span is under 16 levels (a
// frame without contrast, whose stretch would be grain).
cv::Mat stretched_luma(const cv::Mat& grey, int type);

}  // namespace kyc::image
