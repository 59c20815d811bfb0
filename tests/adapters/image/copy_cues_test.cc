// copy_cues: the colour spread that tells a grey copy from a card in colour
// (adapters/image/recapture.h).
#include "adapters/image/recapture.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

namespace {

using kyc::image::copy_cues;
using kyc::image::ImageOptions;

// A document at measuring size (640 x 400, BGR): paper, a portrait, lines of print and a
// band, drawn in `paper`, `portrait`, `print` and `band`.
cv::Mat document(const cv::Scalar& paper, const cv::Scalar& portrait, const cv::Scalar& print,
                 const cv::Scalar& band) {
  cv::Mat d(400, 640, CV_8UC3, paper);
  cv::rectangle(d, cv::Rect(30, 80, 150, 200), portrait, cv::FILLED);
  for (int line = 0; line < 6; ++line)
    cv::rectangle(d, cv::Rect(220, 90 + 30 * line, 300 - 20 * line, 12), print, cv::FILLED);
  cv::rectangle(d, cv::Rect(0, 0, 640, 50), band, cv::FILLED);
  cv::Mat grain(d.size(), CV_8UC3);
  cv::randn(grain, cv::Scalar::all(0), cv::Scalar::all(2));
  return d + grain;
}

// What a light of `tint` (BGR factors) makes of it: every channel multiplied.
cv::Mat under(const cv::Mat& d, const cv::Scalar& tint) {
  cv::Mat lit;
  cv::multiply(d, tint, lit);
  return lit;
}

const cv::Scalar kWarmLight(0.78, 0.95, 1.08);  // BGR: a tungsten lamp, a phone's warm cast

// A grey photocopy photographed under a warm light is tinted in proportion to its luma: its
// black toner and white paper differ in colour as much as in luma. White balanced on its
// paper, it is grey again, and its colour spread stays under the copy cue's low end, as in
// neutral light. (Before the balance it measured 17, past the cue's high end: no copy.)
TEST(CopyCues, AGreyCopyUnderATintedLightIsGrey) {
  const ImageOptions o;
  const cv::Mat copy = document(cv::Scalar::all(235), cv::Scalar::all(120), cv::Scalar::all(40),
                                cv::Scalar::all(180));
  EXPECT_LT(copy_cues(copy, o).saturation, o.copy_colour_low) << "in neutral light";
  const auto tinted = copy_cues(under(copy, kWarmLight), o);
  EXPECT_LT(tinted.saturation, o.copy_colour_low) << "under the warm light";
}

// A card in colour keeps its colour spread under the same light: balancing on its paper takes
// the light's tint away, not the inks'.
TEST(CopyCues, ACardInColourKeepsItsColourUnderATintedLight) {
  const ImageOptions o;
  const cv::Mat card = document(cv::Scalar(225, 235, 240), cv::Scalar(90, 130, 190),
                                cv::Scalar(40, 40, 40), cv::Scalar(170, 90, 40));
  EXPECT_GT(copy_cues(card, o).saturation, o.copy_colour_high) << "in neutral light";
  EXPECT_GT(copy_cues(under(card, kWarmLight), o).saturation, o.copy_colour_high)
      << "under the warm light";
}

}  // namespace
