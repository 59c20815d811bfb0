// Masks kept as bits and widened together (adapters/image/bit_planes.h) give, bit by bit,
// what cv::dilate gives each mask alone.
#include "adapters/image/bit_planes.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

namespace {

TEST(BitPlanes, EachBitWidensAsCvDilateWidensItsMask) {
  cv::RNG rng(20261206);
  for (cv::Size size :
       {cv::Size(1024, 768), cv::Size(7, 3), cv::Size(1, 9), cv::Size(3, 1), cv::Size(2, 2)}) {
    for (int r : {1, 2, 3}) {
      cv::Mat bits(size, CV_8U);
      rng.fill(bits, cv::RNG::UNIFORM, 0, 256);
      cv::Mat sparse = cv::Mat::zeros(size, CV_8U);
      bits.copyTo(sparse, cv::Mat(bits > 240));  // about one pixel in 17 has bits
      const cv::Mat ours = kyc::image::dilated_bits(sparse, r);
      const cv::Mat square = cv::getStructuringElement(cv::MORPH_RECT, {2 * r + 1, 2 * r + 1});
      for (int k = 0; k < 8; ++k) {
        cv::Mat mask = (sparse & (1 << k)) != 0, expected;
        cv::dilate(mask, expected, square);
        cv::Mat got = (ours & (1 << k)) != 0;
        EXPECT_EQ(cv::countNonZero(expected != got), 0) << size << " r=" << r << " bit " << k;
      }
    }
  }
}

}  // namespace
