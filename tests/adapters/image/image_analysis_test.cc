// analyze_image: what it refuses to decode from the header alone, and sums it makes in one pass
// (adapters/image/image_analysis.h).
#include "adapters/image/image_analysis.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "adapters/image/lighting.h"

#include "tests/adapters/image/tiff_bytes.h"

namespace {

using kyc::image::analyze_image;
using kyc::image::ImageOptions;
using kyc::test::tiled_tiff;

long peak_memory_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

TEST(ImageAnalysis, ATiffWhoseTilesDwarfItsImageIsNotDecoded) {
  // 152 bytes that ask the decoder for a 16384 x 16384 tile (OpenCV allocated 1.1 GB for it).
  const std::string bomb = tiled_tiff(64, 64, 16384, 16384, false);
  ASSERT_LT(bomb.size(), 160u);
  const long before = peak_memory_kb();
  const auto a = analyze_image(bomb, ImageOptions{});
  EXPECT_EQ(a.format, "tiff");
  EXPECT_EQ(a.width, 64u) << "the header is still read and reported";
  EXPECT_FALSE(a.decodable);
  // Its decode fails for want of data either way: what must not happen is the allocation.
  EXPECT_LT(peak_memory_kb() - before, 256 * 1024) << "KB more at the peak";
}

TEST(ImageAnalysis, TilesUpToTheirPaddingLimitAreDecoded) {
  const ImageOptions o;
  ASSERT_EQ(o.max_tile_pixels, 1024u * 1024u);
  // One tile the size of the image, a tile that pads a smaller image, and the limit itself.
  EXPECT_TRUE(analyze_image(tiled_tiff(64, 64, 64, 64, true), o).decodable);
  EXPECT_TRUE(analyze_image(tiled_tiff(40, 40, 64, 64, true), o).decodable);
  EXPECT_TRUE(analyze_image(tiled_tiff(64, 64, 1024, 1024, true), o).decodable);
  // One row of tile more, with its data there: refused from the header.
  EXPECT_FALSE(analyze_image(tiled_tiff(64, 64, 1024, 1025, true), o).decodable);
  // A tile no larger than a large image is that image's own layout.
  ImageOptions small_padding;
  small_padding.max_tile_pixels = 16;
  EXPECT_TRUE(analyze_image(tiled_tiff(64, 64, 64, 64, true), small_padding).decodable);
}

// A photo of a card on a table: print, a border, grain and a tint, so that every sum below
// has something to add.
std::string card_photo() {
  cv::Mat scene(900, 1200, CV_8UC3, cv::Scalar(70, 95, 120));
  cv::rectangle(scene, {250, 200, 700, 440}, cv::Scalar(200, 215, 225), cv::FILLED);
  for (int i = 0; i < 12; ++i)
    cv::putText(scene, "P<UTOERIKSSON<<ANNA<MARIA" + std::to_string(i), {280, 240 + 32 * i},
                cv::FONT_HERSHEY_SIMPLEX, 0.8, cv::Scalar(30 + 10 * i, 40, 60), 2);
  cv::Mat noise(scene.size(), CV_8UC3);
  cv::randn(noise, 0, 5);
  scene += noise;
  std::vector<uint8_t> jpeg;
  cv::imencode(".jpg", scene, jpeg, {cv::IMWRITE_JPEG_QUALITY, 92});
  return std::string(jpeg.begin(), jpeg.end());
}

// The sharpness and the copy cue's colour spread are summed in one pass over the measuring
// copy (bench/README.md, "Small passes over the measuring copy"). They must be the values of
// the filters and the float arithmetic they replaced.
TEST(ImageAnalysis, OnePassSumsGiveTheValuesOfTheFiltersTheyReplaced) {
  const auto a = analyze_image(card_photo(), ImageOptions{});
  ASSERT_TRUE(a.document_detected);
  ASSERT_FALSE(a.measured.empty());

  cv::Mat grey;
  cv::cvtColor(a.measured, grey, cv::COLOR_BGR2GRAY);
  grey = kyc::image::stretched_luma(grey, CV_8U);
  ASSERT_FALSE(grey.empty());
  const cv::Mat kernels[4] = {(cv::Mat_<float>(3, 3) << 0, 0, 0, 1, -2, 1, 0, 0, 0),
                              (cv::Mat_<float>(3, 3) << 0, 1, 0, 0, -2, 0, 0, 1, 0),
                              (cv::Mat_<float>(3, 3) << 1, 0, 0, 0, -2, 0, 0, 0, 1),
                              (cv::Mat_<float>(3, 3) << 0, 0, 1, 0, -2, 0, 1, 0, 0)};
  double least = std::numeric_limits<double>::max();
  for (const cv::Mat& k : kernels) {
    cv::Mat response;
    cv::filter2D(grey, response, CV_32F, k);
    cv::Scalar mean, dev;
    cv::meanStdDev(response, mean, dev);
    least = std::min(least, dev[0] * dev[0]);
  }
  EXPECT_GT(least, 0);
  EXPECT_DOUBLE_EQ(a.sharpness, least);

  // The spread is read white balanced: each channel's 99th percentile brought to 255.
  std::vector<cv::Mat> bgr;
  cv::split(a.measured, bgr);
  for (cv::Mat& channel : bgr)
    channel.convertTo(channel, CV_32F,
                      255.0 / std::max<double>(32, kyc::image::LumaHistogram(channel).at(0.99)));
  cv::Mat rg = bgr[2] - bgr[1], yb = 0.5 * (bgr[2] + bgr[1]) - bgr[0];
  cv::Scalar m1, s1, m2, s2;
  cv::meanStdDev(rg, m1, s1);
  cv::meanStdDev(yb, m2, s2);
  const double spread = std::sqrt(s1[0] * s1[0] + s2[0] * s2[0]);
  EXPECT_GT(spread, 1);
  EXPECT_NEAR(a.copy.saturation, spread, 1e-5 * spread) << "float rounding only";
}

TEST(LumaHistogram, CountsEveryPixelOnceWithOrWithoutAMask) {
  cv::Mat grey(37, 101, CV_8UC1), mask(37, 101, CV_8UC1);  // odd widths: the tail is counted
  cv::randu(grey, 0, 256);
  grey(cv::Rect(0, 0, 101, 10)).setTo(200);  // a run of one level
  cv::randu(mask, 0, 2);
  for (const cv::Mat& m : {cv::Mat(), mask}) {
    std::vector<uint8_t> values;
    for (int y = 0; y < grey.rows; ++y)
      for (int x = 0; x < grey.cols; ++x)
        if (m.empty() || m.at<uint8_t>(y, x)) values.push_back(grey.at<uint8_t>(y, x));
    std::sort(values.begin(), values.end());
    const kyc::image::LumaHistogram levels(grey, m);
    for (double share : {0.0, 0.01, 0.25, 0.5, 0.9, 0.99}) {
      const auto target = static_cast<size_t>(share * static_cast<double>(values.size()));
      EXPECT_EQ(levels.at(share), values[target]) << share << (m.empty() ? "" : " masked");
    }
  }
  EXPECT_EQ(kyc::image::LumaHistogram(grey, cv::Mat::zeros(grey.size(), CV_8U)).at(0.5), -1);
}

}  // namespace
