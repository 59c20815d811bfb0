// Straight segments along edges (adapters/image/line_segments.h): a pixel votes only for lines
// that run along its own edge.
#include "adapters/image/line_segments.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace {

using kyc::image::line_segments;
using kyc::image::SegmentSearch;

// A row of edge pixels at y = 100 from x = 50 to 450, each with the gradient given.
struct Row {
  cv::Mat edges, dx, dy;
};

Row row_of_edge_pixels(int16_t gx, int16_t gy) {
  Row r{cv::Mat::zeros(200, 500, CV_8U), cv::Mat::zeros(200, 500, CV_16S),
        cv::Mat::zeros(200, 500, CV_16S)};
  for (int x = 50; x <= 450; ++x) {
    r.edges.at<uint8_t>(100, x) = 255;
    r.dx.at<int16_t>(100, x) = gx;
    r.dy.at<int16_t>(100, x) = gy;
  }
  return r;
}

TEST(LineSegments, FindsARowWhoseEdgesRunAlongIt) {
  // The gradient points across the row (down): the edge runs along it.
  Row r = row_of_edge_pixels(0, 200);
  auto segments = line_segments(r.edges, r.dx, r.dy, {.min_length = 300});
  ASSERT_EQ(segments.size(), 1u);
  const cv::Vec4i s = segments[0];
  EXPECT_EQ(std::min(s[0], s[2]), 50);
  EXPECT_EQ(std::max(s[0], s[2]), 450);
  EXPECT_EQ(s[1], 100);
  EXPECT_EQ(s[3], 100);
}

TEST(LineSegments, IgnoresARowWhosePixelsAreEdgesAcrossIt) {
  // The upright strokes of a line of letters: pixels in a row, each on an edge that crosses
  // the row (the gradient points along it). cv::HoughLinesP finds a line here; no side of a
  // document is made of such pixels.
  Row r = row_of_edge_pixels(200, 0);
  std::vector<cv::Vec4i> hough;
  cv::HoughLinesP(r.edges, hough, 1, CV_PI / 180, 50, 300, 8);
  EXPECT_FALSE(hough.empty());
  EXPECT_TRUE(line_segments(r.edges, r.dx, r.dy, {.min_length = 300}).empty());
}

// A tilted card among print on a table, `extra` px of table wider than the 800 px photo on its
// right: its edges and their gradient, as the outline search gives them.
const std::vector<cv::Point> kCard = {{150, 120}, {640, 150}, {620, 470}, {130, 440}};

Row tilted_card(int extra = 0) {
  cv::Mat grey(600, 800 + extra, CV_8U, cv::Scalar(60));
  cv::fillConvexPoly(grey, kCard, cv::Scalar(200));
  for (int y = 200; y < 400; y += 24)  // print: short strokes in every direction
    for (int x = 200; x < 560; x += 18)
      cv::line(grey, {x, y}, {x + 9, y + ((x / 18) % 3 - 1) * 9}, cv::Scalar(40), 2);
  cv::Mat smooth;
  Row r;
  cv::GaussianBlur(grey, smooth, {5, 5}, 0);
  cv::Sobel(smooth, r.dx, CV_16S, 1, 0, 3, 1, 0, cv::BORDER_REPLICATE);
  cv::Sobel(smooth, r.dy, CV_16S, 0, 1, 3, 1, 0, cv::BORDER_REPLICATE);
  cv::Canny(r.dx, r.dy, r.edges, 50, 150);
  return r;
}

TEST(LineSegments, FindsTheFourSidesOfATiltedCardAmongPrint) {
  const Row r = tilted_card();
  const cv::Mat &edges = r.edges, &dx = r.dx, &dy = r.dy;
  const std::vector<cv::Point>& card = kCard;
  // As the outline search asks: sides at least 0.15 of the frame's short side.
  auto segments = line_segments(edges, dx, dy, {.min_length = 90});
  for (int side = 0; side < 4; ++side) {
    const cv::Point2f a = card[side], b = card[(side + 1) % 4];
    const cv::Point2f along = (b - a) / static_cast<float>(cv::norm(b - a));
    bool found = false;
    for (const auto& s : segments) {
      const cv::Point2f p(s[0], s[1]), q(s[2], s[3]);
      auto off = [&](cv::Point2f r) { return std::abs(along.cross(r - a)); };
      const float length = std::abs(along.dot(q - p));
      found |= off(p) < 3 && off(q) < 3 && length >= 90;
    }
    EXPECT_TRUE(found) << "side " << side;
  }
  // Every segment lies along a side: none runs through the print.
  for (const auto& s : segments) {
    bool on_side = false;
    for (int side = 0; side < 4; ++side) {
      const cv::Point2f a = card[side], b = card[(side + 1) % 4];
      const cv::Point2f along = (b - a) / static_cast<float>(cv::norm(b - a));
      on_side |= std::abs(along.cross(cv::Point2f(s[0], s[1]) - a)) < 3 &&
                 std::abs(along.cross(cv::Point2f(s[2], s[3]) - a)) < 3;
    }
    EXPECT_TRUE(on_side) << s;
  }
  // The same input gives the same segments.
  EXPECT_EQ(line_segments(edges, dx, dy, {.min_length = 90}), segments);
}

TEST(LineSegments, AFrameTooLargeForSixteenBitVotesGivesTheSameSegments) {
  // Votes are counted in 16 bits while a line's cell cannot pass that range (twice the
  // frame's width and height), in full ints past it: 17,000 px of table more puts this frame
  // past it, with the same edge pixels in the same order, so the same segments.
  const Row small = tilted_card(), wide = tilted_card(17000);
  ASSERT_GT(2 * (wide.edges.cols + wide.edges.rows), INT16_MAX);
  ASSERT_EQ(cv::countNonZero(small.edges), cv::countNonZero(wide.edges));
  const auto segments = line_segments(small.edges, small.dx, small.dy, {.min_length = 90});
  EXPECT_GE(segments.size(), 4u);
  EXPECT_EQ(line_segments(wide.edges, wide.dx, wide.dy, {.min_length = 90}), segments);
}

TEST(LineSegments, AFrameTooWideForItsCellIndicesGivesNoSegments) {
  // One row 6 million pixels wide: its line cells (180 angles times about twice the width)
  // would not fit 32-bit indices. An edge runs along it; nothing is searched or allocated for
  // the votes, and no segment comes back.
  const int width = 6'000'000;
  cv::Mat edges(1, width, CV_8U, cv::Scalar(255)), dx = cv::Mat::zeros(1, width, CV_16S),
                                                   dy(1, width, CV_16S, cv::Scalar(200));
  EXPECT_TRUE(line_segments(edges, dx, dy, {.min_length = 300}).empty());
}

}  // namespace
