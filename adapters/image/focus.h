// Focus: how wide the frame's strongest edges are spread, the trace a lens out of focus or a
// moving camera leaves on every edge it records.
#pragma once

#include <opencv2/core.hpp>
#include <optional>

#include "adapters/image/image_options.h"

namespace kyc::image {

struct Focus {
  // image.edge_spread: the width (px on the working copy) over which the sharpest of the
  // frame's strong edges rise, in the direction they are most spread; absent when the frame
  // has too few strong edges to tell (a blank wall, a dark frame).
  std::optional<double> spread;
  cv::Mat picture;  // the edges measured, green when narrow to red when wide (--debug only)
};

// `grey` the whole frame's luma on the working copy.
Focus measure_focus(const cv::Mat& grey, const ImageOptions& options);

}  // namespace kyc::image
