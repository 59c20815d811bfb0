// The shadow measure (adapters/image/light_field.cc): the light read on the paper, each colour
// against its own lit level.
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "adapters/image/lighting.h"

namespace {

using kyc::image::ImageOptions;
using kyc::image::measure_lighting;

// A card at measuring size: a mid-tone green panel over the top 60%, a white band below (as
// an MRZ band is), dark ink lines across both. `light_left` is the light a shadow leaves on
// the panel's right half.
cv::Mat card(double light_left) {
  cv::Mat bgr(400, 640, CV_8UC3, cv::Scalar(235, 235, 235));
  bgr(cv::Rect(0, 0, 640, 240)).setTo(cv::Scalar(90, 140, 80));
  for (int y = 30; y < 380; y += 40) cv::line(bgr, {40, y}, {600, y}, cv::Scalar(30, 30, 30), 3);
  cv::Mat shaded = bgr(cv::Rect(320, 0, 320, 240));
  shaded.convertTo(shaded, -1, light_left);
  return bgr;
}

TEST(Shadow, EvenLightIsNoShadow) {
  EXPECT_LT(measure_lighting(card(1.0), ImageOptions{}).shadow, 0.1);
}

TEST(Shadow, ADeepShadowOnAMidToneIsAShadow) {
  // A quarter of the light left: the shaded green is darker than a fifth of the white band,
  // but a quarter of its own lit level. Measured against the white band's level it passed
  // for ink, and the shadow was not seen (paper_min_level at 0.2 restores that reading).
  EXPECT_GT(measure_lighting(card(0.25), ImageOptions{}).shadow, 0.6);
  ImageOptions global_floor;
  global_floor.paper_min_level = 0.2;
  EXPECT_LT(measure_lighting(card(0.25), global_floor).shadow, 0.35);
}

TEST(Shadow, InkOfThePapersHueIsNotShadow) {
  // Dark green lines on the green panel, under a fifth of its level: ink, not shade.
  cv::Mat bgr = card(1.0);
  for (int x = 60; x < 600; x += 30) cv::line(bgr, {x, 10}, {x, 230}, cv::Scalar(14, 22, 12), 3);
  EXPECT_LT(measure_lighting(bgr, ImageOptions{}).shadow, 0.1);
}

TEST(Shadow, AShadowLitByABluerLightIsAShadow) {
  // The white band's right half in a shadow that leaves 40% of the light, lit by the room's
  // slightly bluer ambient light: its red share falls from 0.333 to 0.326. When neutral lay on
  // the corner of four paper_chroma_bin squares, that crossed into another square: read as a
  // paper of its own, lit at its own dim level, the shade measured no shadow at all.
  cv::Mat bgr = card(1.0);
  cv::Mat shaded = bgr(cv::Rect(320, 240, 320, 160));
  cv::multiply(shaded, cv::Scalar(0.41, 0.40, 0.39), shaded);
  EXPECT_GT(measure_lighting(bgr, ImageOptions{}).shadow, 0.5);
}

}  // namespace
