// How the document is lit: mean brightness, blown-out glare, uneven shadow. Measured on the
// rectified document (or the whole frame when none was found), at a fixed size.
#pragma once

#include <opencv2/core.hpp>

#include "adapters/image/image_options.h"

namespace kyc::image {

struct Lighting {
  double brightness = 0;  // mean luma, 0..255
  double glare = 0;       // share of blown-out, colourless pixels, 0..1
  double shadow = 0;      // 1 - (darkest lit block / brightest lit block), 0..1
};

// `bgr` is 8-bit, three channels.
Lighting measure_lighting(const cv::Mat& bgr, const ImageOptions& options);

// The luma level that `share` (0..1) of an 8-bit one-channel image's pixels do not exceed.
// In a block of a lit document most pixels are paper, so a high one follows the light.
double luma_percentile(const cv::Mat& grey, double share);

}  // namespace kyc::image
