// The exposure measure (adapters/image/lighting.cc): what share of the document the camera
// clipped, and where its ink and paper landed.
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "adapters/image/lighting.h"

namespace {

using kyc::image::ImageOptions;
using kyc::image::measure_lighting;

// A card at measuring size: `paper` everywhere, dark ink lines across its lower half.
cv::Mat card(const cv::Scalar& paper) {
  cv::Mat bgr(400, 640, CV_8UC3, paper);
  for (int y = 220; y < 380; y += 20) cv::line(bgr, {40, y}, {600, y}, cv::Scalar(30, 30, 30), 3);
  return bgr;
}

TEST(Exposure, AColourWithOneChannelAtTheCeilingIsClipped) {
  // Over-exposed saturated print: red at the ceiling, green and blue below it. Every channel
  // is not clipped anywhere, yet the print has lost its colour ratio.
  const auto l = measure_lighting(card(cv::Scalar(170, 215, 255)), ImageOptions{});
  EXPECT_GT(l.clipped, 0.9);
  EXPECT_EQ(l.glare, 0.0);  // not the lamp's white: no glare
}

TEST(Exposure, TheSameColourUnderTheCeilingIsNotClipped) {
  const auto l = measure_lighting(card(cv::Scalar(150, 190, 235)), ImageOptions{});
  EXPECT_EQ(l.clipped, 0.0);
}

TEST(Exposure, WhitePaperIsClippedAndKeepsItsInk) {
  const auto l = measure_lighting(card(cv::Scalar(255, 255, 255)), ImageOptions{});
  EXPECT_GT(l.clipped, 0.9);
  EXPECT_LE(l.black_level, 40);  // the ink stays dark: a white page, not over-exposure
}

}  // namespace
