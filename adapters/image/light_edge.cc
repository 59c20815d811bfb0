#include "adapters/image/light_edge.h"

#include <algorithm>
#include <cmath>

namespace kyc::image {

namespace {

struct Sample {
  double luma = 0;
  cv::Vec2d chroma;  // red and green shares; blue is the rest
};

Sample sample_at(const cv::Mat& colour, cv::Point2f p) {
  int x = std::clamp(static_cast<int>(std::lround(p.x)), 0, colour.cols - 1);
  int y = std::clamp(static_cast<int>(std::lround(p.y)), 0, colour.rows - 1);
  cv::Vec3b c = colour.at<cv::Vec3b>(y, x);
  double sum = std::max(1.0, double(c[0]) + c[1] + c[2]);
  return {0.114 * c[0] + 0.587 * c[1] + 0.299 * c[2], {c[2] / sum, c[1] / sum}};
}

// How far a chromaticity lies from neutral grey (a third each).
double colourfulness(const cv::Vec2d& chroma) {
  double blue = 1 - chroma[0] - chroma[1];
  return std::max(
      {std::abs(chroma[0] - 1.0 / 3), std::abs(chroma[1] - 1.0 / 3), std::abs(blue - 1.0 / 3)});
}

}  // namespace

bool is_light_edge(const ColourView& view, cv::Point2f a, cv::Point2f b, const ImageOptions& o) {
  const cv::Mat& colour = view.bgr;
  if (colour.empty()) return false;
  float length = static_cast<float>(cv::norm(b - a));
  if (length < 1) return false;
  cv::Point2f along = (b - a) / length, across(-along.y, along.x);
  // The sides are read clear of the edge's own blur: a shadow's penumbra is several pixels, a
  // blurred photo's every edge as wide as its measured spread.
  float offset =
      static_cast<float>(std::max({o.light_edge_offset_share * std::max(colour.cols, colour.rows),
                                   o.light_edge_offset_spreads * view.edge_spread, 2.0}));
  int light = 0, told = 0;
  for (float s = 0; s <= length; s += 2) {
    cv::Point2f p = a + along * s, one = p + across * offset, other = p - across * offset;
    auto inside = [&](cv::Point2f q) {
      return q.x >= 0 && q.y >= 0 && q.x < colour.cols && q.y < colour.rows;
    };
    if (!inside(one) || !inside(other)) continue;
    Sample u = sample_at(colour, one), v = sample_at(colour, other);
    double darker = std::min(u.luma, v.luma), brighter = std::max(u.luma, v.luma);
    // No step in luma here (the side runs through nothing), or too dark to read a colour.
    if (brighter < o.light_edge_min_luma || darker > o.light_edge_max_luma_ratio * brighter)
      continue;
    if (std::min(colourfulness(u.chroma), colourfulness(v.chroma)) < o.light_edge_min_colour)
      continue;
    ++told;
    light += cv::norm(u.chroma - v.chroma) <= o.light_edge_chroma_tolerance;
  }
  return told >= o.light_edge_min_points && light >= o.light_edge_share * told;
}

}  // namespace kyc::image
