#include "adapters/image/scaling.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

using kyc::image::scaled;
using kyc::image::scaled_to_width;

TEST(Scaling, SizesAreTheRoundedTarget) {
  cv::Mat m(1500, 2000, CV_8UC3, cv::Scalar(10, 20, 30));
  EXPECT_EQ(scaled(m, 0.512).size(), cv::Size(1024, 768));  // a half, then enlarged 2.4%
  EXPECT_EQ(scaled(m, 0.25).size(), cv::Size(500, 375));    // two exact halves
  EXPECT_EQ(scaled(m, 0.4).size(), cv::Size(800, 600));     // a half, then 1.25x smaller
  EXPECT_EQ(scaled_to_width(m, 640).size(), cv::Size(640, 480));
  EXPECT_EQ(scaled(m, 1.5).size(), cv::Size(3000, 2250));  // enlarging
  cv::Mat odd(999, 1333, CV_8UC1, cv::Scalar(7));          // odd sizes lose a line per half
  EXPECT_EQ(scaled(odd, 0.3).size(), cv::Size(400, 300));
}

TEST(Scaling, ReturnsANewMatrixEvenAtTheSameSize) {
  cv::Mat m(100, 100, CV_8UC1, cv::Scalar(1));
  cv::Mat same = scaled(m, 1.0);
  EXPECT_NE(same.data, m.data);
  EXPECT_EQ(cv::norm(same, m, cv::NORM_INF), 0);
}

// Against OpenCV's exact area average: a photo-like image (smooth shading plus fine texture)
// comes out the same to within a few grey levels on average.
TEST(Scaling, CloseToAnExactAreaAverage) {
  cv::Mat m(1500, 2000, CV_8UC1);
  cv::randu(m, 0, 255);
  cv::GaussianBlur(m, m, {0, 0}, 3);
  for (int y = 0; y < m.rows; ++y)
    for (int x = 0; x < m.cols; ++x)
      m.at<uint8_t>(y, x) = cv::saturate_cast<uint8_t>(m.at<uint8_t>(y, x) + x / 20);
  for (double k : {0.512, 0.4, 0.3}) {
    cv::Mat exact, ours = scaled(m, k);
    cv::resize(m, exact, ours.size(), 0, 0, cv::INTER_AREA);
    double mean_abs = cv::norm(ours, exact, cv::NORM_L1) / static_cast<double>(exact.total());
    EXPECT_LT(mean_abs, 2.0) << k;
  }
}
