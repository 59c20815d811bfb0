// Shadow: how unevenly the light falls across the document, separated from its design.
#pragma once

#include <opencv2/core.hpp>

#include "adapters/image/image_options.h"

namespace kyc::image {

struct LightField {
  double shadow = 0;  // image.shadow: 1 - (dim light / bright light) across the document, 0..1
  cv::Mat field;  // the light on the paper, 8-bit at the document's size, 0 where none; only with
                  // ImageOptions::debug_pictures
};

// `bgr` the document at measuring size, `grey` its luma.
LightField light_field_of(const cv::Mat& bgr, const cv::Mat& grey, const ImageOptions& options);

}  // namespace kyc::image
