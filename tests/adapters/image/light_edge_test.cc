// An edge of the light keeps each side's chromaticity; a border between two materials does not;
// between two near-neutral sides nothing can be told.
#include "adapters/image/light_edge.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

using kyc::image::ImageOptions;
using kyc::image::is_light_edge;

namespace {

// A 400 x 300 photo split at x = 200: `left` on one side, `right` on the other, softened as a
// lens and a penumbra would, and the vertical line between them.
bool split_is_light_edge(cv::Scalar left, cv::Scalar right) {
  cv::Mat photo(300, 400, CV_8UC3, left);
  photo(cv::Rect(200, 0, 200, 300)).setTo(right);
  cv::GaussianBlur(photo, photo, {7, 7}, 0);
  return is_light_edge({photo}, {200, 20}, {200, 280}, ImageOptions{});
}

cv::Scalar dimmed(cv::Scalar bgr, double light) { return bgr * light; }

}  // namespace

TEST(LightEdge, AShadowOnOneColourIsAnEdgeOfTheLight) {
  cv::Scalar magenta(150, 60, 200), tan(90, 140, 190);
  EXPECT_TRUE(split_is_light_edge(magenta, dimmed(magenta, 0.5)));
  EXPECT_TRUE(split_is_light_edge(dimmed(tan, 0.6), tan));
}

TEST(LightEdge, TwoMaterialsAreNot) {
  EXPECT_FALSE(split_is_light_edge({150, 60, 200}, {90, 140, 190}));  // a magenta card on wood
  EXPECT_FALSE(split_is_light_edge({60, 160, 60}, {40, 60, 120}));    // green on brown
}

TEST(LightEdge, NeutralSidesTellNothing) {
  // A white card on a grey desk: the same chromaticity, but grain decides it; not concluded.
  EXPECT_FALSE(split_is_light_edge({235, 235, 235}, {120, 120, 120}));
}

TEST(LightEdge, NoStepInLumaIsNoEdge) {
  cv::Scalar magenta(150, 60, 200);
  EXPECT_FALSE(split_is_light_edge(magenta, magenta));
}
