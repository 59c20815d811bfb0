// Whether a line in a photo is an edge of the light (a shadow's or a lamp's boundary) rather
// than of a material (a document's border against the table).
//
// Light falling more or less strongly on one surface scales its colour channels together: the
// two sides of a shadow's edge differ in luma and keep their chromaticity (each channel's share
// of the sum), on the card and on the table alike. A document's border separates two
// materials, whose chromaticities differ. Where both sides are nearly neutral (a white card on
// a grey desk) chromaticity is grain, and nothing is concluded there.
#pragma once

#include <opencv2/core.hpp>

#include "adapters/image/image_options.h"

namespace kyc::image {

// The photo in colour, for telling edges of the light from borders.
struct ColourView {
  cv::Mat bgr;             // BGR, 8 bits, smoothed; empty: nothing is told
  double edge_spread = 0;  // how wide the frame's edges are spread (focus.h), px of `bgr`
};

// True when, of the points along a..b (in `view`'s pixels) where the two sides differ in luma
// and are coloured enough to tell, most keep one chromaticity across. The sides are read past
// the edge's own spread: inside a blurred border both sides are the same mix of card and
// table, and would pass for one surface.
bool is_light_edge(const ColourView& view, cv::Point2f a, cv::Point2f b, const ImageOptions& o);

}  // namespace kyc::image
