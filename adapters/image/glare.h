// Glare: specular highlights on the document, told apart from the document's own white.
#pragma once

#include <opencv2/core.hpp>

#include "adapters/image/image_options.h"

namespace kyc::image {

struct Glare {
  double share = 0;  // image.glare: share of the document under specular highlights, 0..1
  cv::Mat mask;      // 8-bit, 255 where a highlight was found (for --debug)
};

// `grey` the document's luma at measuring size, `clipped` 255 where every channel is clipped.
Glare find_glare(const cv::Mat& grey, const cv::Mat& clipped, const ImageOptions& options);

}  // namespace kyc::image
