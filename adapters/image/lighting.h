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

}  // namespace kyc::image
