// Long straight segments along edges: a probabilistic Hough transform (Matas, Galambos and
// Kittler) in which each edge pixel votes only for lines that run along its own edge, within
// `angle_tolerance` of the direction across its gradient. cv::HoughLinesP lets every pixel
// vote for lines in all 180 directions: a letter's pixels then carry lines across the print,
// and the votes were most of the outline search's time (bench/README.md, "Voting along the
// edge").
#pragma once

#include <opencv2/core/mat.hpp>
#include <vector>

namespace kyc::image {

struct SegmentSearch {
  int votes = 50;              // votes a line needs before a segment is walked along it
  double min_length = 0;       // px, along x or y, as cv::HoughLinesP measures it
  int max_gap = 8;             // px of a segment without edge before it ends
  float angle_tolerance = 30;  // degrees between a pixel's edge and the lines it votes for
};

// `edges` 8-bit, non-zero on edges; `dx`, `dy` its luma gradient (CV_16S, same size). Each
// segment as x0, y0, x1, y1. Deterministic: the same input gives the same segments. A frame of
// more than 2^32 pixels, or whose width and height add up to more than about 5.9 million, gives
// none.
std::vector<cv::Vec4i> line_segments(const cv::Mat& edges, const cv::Mat& dx, const cv::Mat& dy,
                                     const SegmentSearch& search);

}  // namespace kyc::image
