// The light falling on the scene, estimated and divided out, so that a hard shadow across a
// document does not pass for the document's border.
#pragma once

#include <opencv2/core.hpp>

#include "adapters/image/image_options.h"

namespace kyc::image {

struct Illumination {
  // Some of the frame lies in a shadow: its darkest share gets far less light than the
  // frame's median (image_options: shadow_share, shadow_light_ratio).
  bool shaded = false;
  // The luma divided by the light, stretched to the full range. Inside a shadow the paper and
  // the table are darkened alike, so the document's border keeps the contrast it has in the
  // light, and the shadow's edge, a step of the light itself, is mostly divided away. Only
  // made when `shaded`.
  cv::Mat flattened;
};

// `grey` is 8-bit, one channel.
Illumination illumination_of(const cv::Mat& grey, const ImageOptions& options);

}  // namespace kyc::image
