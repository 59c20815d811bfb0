// measure_focus: the width over which a frame's strong edges rise is the blur that spread them
// (adapters/image/focus.cc says why). Drawn frames whose blur is known: sharp, out of focus,
// moved along one direction, and without contrast.
#include "adapters/image/focus.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

using kyc::image::ImageOptions;
using kyc::image::measure_focus;

namespace {

// A working copy's worth of print: dark boxes and rings on paper, so that edges run in every
// direction (the measure reads each of four directions and needs enough edges in one).
cv::Mat printed_frame() {
  cv::Mat frame(768, 1024, CV_8UC1, cv::Scalar(220));
  for (int row = 0; row < 5; ++row)
    for (int col = 0; col < 7; ++col) {
      const cv::Point at(80 + col * 130, 80 + row * 140);
      cv::rectangle(frame, at, at + cv::Point(70, 50), cv::Scalar(30), cv::FILLED);
      cv::circle(frame, at + cv::Point(35, 95), 25, cv::Scalar(40), cv::FILLED);
    }
  return frame;
}

double spread_of(const cv::Mat& frame) {
  auto spread = measure_focus(frame, ImageOptions{}).spread;
  EXPECT_TRUE(spread.has_value());
  return spread.value_or(-1);
}

}  // namespace

TEST(Focus, ASharpFrameRisesOverTheKernelsOwnWidth) {
  const double spread = spread_of(printed_frame());
  EXPECT_GE(spread, 1.0);
  EXPECT_LE(spread, 3.0);  // the policy's in-focus range on the working copy is ~2-4 px
}

TEST(Focus, DefocusSpreadsEveryEdgeByAboutTwoAndAHalfSigma) {
  cv::Mat blurred;
  cv::GaussianBlur(printed_frame(), blurred, {0, 0}, 4.0);
  const double spread = spread_of(blurred);
  EXPECT_GT(spread, 8.0);  // 2.5 sigma is 10, past the policy's MAX_EDGE_SPREAD of 7
  EXPECT_LT(spread, 12.5);
}

TEST(Focus, MotionIsReadInTheDirectionItSpreads) {
  // Moved 15 px sideways: the vertical edges rise over the move, the horizontal ones stay sharp.
  cv::Mat moved;
  cv::blur(printed_frame(), moved, {15, 1});
  const double spread = spread_of(moved);
  EXPECT_GT(spread, 11.0);
  EXPECT_LT(spread, 17.0);
}

TEST(Focus, AFrameWithoutContrastHasNoSpread) {
  cv::Mat wall(768, 1024, CV_8UC1, cv::Scalar(128));
  cv::randu(wall, 120, 136);  // grain only: its stretch would be noise
  EXPECT_FALSE(measure_focus(wall, ImageOptions{}).spread.has_value());
}
