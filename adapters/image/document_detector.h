// Finds the identity document in a photo: its outline as a quadrilateral, whether it crosses
// the frame edge, and the share of the frame it fills.
#pragma once

#include <opencv2/core.hpp>
#include <vector>

#include "adapters/image/image_options.h"
#include "adapters/image/light_edge.h"

namespace kyc::image {

struct DocumentOutline {
  bool detected = false;
  bool cut_off = false;  // a corner or side lies on or beyond the frame edge
  double fill = 0;       // outline area / frame area
  // Corners in the working image, clockwise from top-left; 4 points when the whole outline is
  // known, more when the frame edge cuts a corner off.
  std::vector<cv::Point2f> corners;
};

// The mean of `points` (the origin when there are none): an outline's centre.
cv::Point2f centroid(const std::vector<cv::Point2f>& points);

// `grey` is the working copy (8-bit, one channel); `colour`, when given, the same photo in
// colour (same size, not yet smoothed): cut-off outlines along an edge of the light are then
// not taken.
DocumentOutline find_document(const cv::Mat& grey, const ImageOptions& options,
                              const ColourView& colour = {});

// The document seen from the front: `image` is cut along `corners` (given in an image
// `scale` times the working copy) and rectified to at most `max_width` pixels wide.
cv::Mat rectify(const cv::Mat& image, const std::vector<cv::Point2f>& corners, double scale,
                int max_width);

}  // namespace kyc::image
