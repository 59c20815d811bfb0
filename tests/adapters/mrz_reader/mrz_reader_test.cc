// The MRZ reader's parts on synthetic images, and its answers to input that is no photo of
// an MRZ. The real photos are in mrz_images_test.cc.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "adapters/mrz_reader/mrz_glyph_grid.h"
#include "adapters/mrz_reader/mrz_reader.h"
#include "tests/adapters/shared_data.h"

namespace kyc::text {
namespace {

// One text line in a monospaced layout: each character drawn in its own cell.
cv::Mat monospaced_line(const std::string& text, int pitch, double font_scale) {
  cv::Mat image(60, pitch * static_cast<int>(text.size()) + 40, CV_8UC1, cv::Scalar(255));
  for (size_t i = 0; i < text.size(); ++i) {
    cv::putText(image, std::string(1, text[i]), {20 + pitch * static_cast<int>(i), 45},
                cv::FONT_HERSHEY_SIMPLEX, font_scale, cv::Scalar(0), 2, cv::LINE_AA);
  }
  return image;
}

TEST(MrzGlyphGrid, CountsTheCellsOfAMonospacedLine) {
  const cv::Mat line = monospaced_line("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", 24, 1.0);
  const auto glyphs = measure_glyphs(line, 30);
  ASSERT_TRUE(glyphs.has_value());
  EXPECT_EQ(glyphs->estimated_count, 44);
  EXPECT_NEAR(glyphs->pitch, 24, 1.5);
}

TEST(MrzGlyphGrid, SkippedCharactersStillCountAsCells) {
  // Spaces where fillers were: the first and last glyph fix the grid, not the glyph count.
  const cv::Mat line = monospaced_line("IDUTO1234       5678<<<<<<<<<9", 24, 1.0);
  const auto glyphs = measure_glyphs(line, 30);
  ASSERT_TRUE(glyphs.has_value());
  EXPECT_EQ(glyphs->estimated_count, 30);
}

TEST(MrzGlyphGrid, AGlyphResemblesItselfMoreThanAnother) {
  const cv::Mat line = monospaced_line("A<A8", 24, 1.0);
  const auto glyphs = measure_glyphs(line, 30);
  ASSERT_TRUE(glyphs.has_value());
  const cv::Mat first = cell_window(*glyphs, 4, 0);
  EXPECT_GT(glyph_similarity(first, cell_window(*glyphs, 4, 2)), 0.95);
  EXPECT_LT(glyph_similarity(first, cell_window(*glyphs, 4, 1)), 0.8);
  EXPECT_LT(glyph_similarity(first, cell_window(*glyphs, 4, 3)), 0.8);
}

TEST(MrzReader, BytesThatAreNoImageAreSaidToBeSo) {
  const std::string text = "definitely not a JPEG";
  const MrzReading reading = read_mrz(std::span<const unsigned char>(
      reinterpret_cast<const unsigned char*>(text.data()), text.size()));
  EXPECT_EQ(reading.outcome, MrzReadOutcome::NotAnImage);
  EXPECT_FALSE(reading.found);
  EXPECT_EQ(read_mrz(std::span<const unsigned char>()).outcome, MrzReadOutcome::NotAnImage);
  EXPECT_EQ(read_mrz(cv::Mat()).outcome, MrzReadOutcome::NotAnImage);
}

TEST(MrzReader, ABlankPageHasNoZone) {
  const MrzReading reading = read_mrz(cv::Mat(400, 600, CV_8UC3, cv::Scalar(230, 230, 230)));
  EXPECT_EQ(reading.outcome, MrzReadOutcome::NotFound);
  EXPECT_FALSE(reading.found);
  EXPECT_FALSE(reading.mrz.has_value());
}

TEST(MrzReader, StripesLongerThanAnyMrzLineAreNotReadAsOne) {
  // A grid of thin bars (a 45 KB PNG): the locator finds line-like bands 4,000 px long and 3 px
  // tall, which scaled for OCR were 48,000 px wide; reading them took 18 s. No MRZ line is
  // longer than about 48 of its character heights, so they are not read at all.
  cv::Mat stripes(3000, 4000, CV_8UC1);
  for (int y = 0; y < stripes.rows; ++y)
    for (int x = 0; x < stripes.cols; ++x)
      stripes.at<uint8_t>(y, x) =
          x % 40 < 3 || y % 37 < 3 ? 0 : ((x / 40 + y / 37) % 2 ? 255 : 200);

  MrzReading r = read_mrz(stripes, MrzReaderOptions{});
  EXPECT_NE(r.outcome, MrzReadOutcome::Valid);
  EXPECT_EQ(r.ocr_passes, 0);
}

TEST(MrzReader, AnImageLargerThanTheLimitIsRefused) {
  MrzReaderOptions options;
  options.max_pixels = 100 * 100;
  EXPECT_EQ(read_mrz(cv::Mat(200, 200, CV_8UC1, cv::Scalar(255)), options).outcome,
            MrzReadOutcome::NotAnImage);
}

class TurnedSpecimen : public ::testing::TestWithParam<int> {};

// The Utopia passport page photographed upside down or sideways reads the same.
TEST_P(TurnedSpecimen, ReadsTheSameLines) {
  const cv::Mat page =
      cv::imread(test_support::shared_data_path("mrz/images/passport-td3.png"), cv::IMREAD_COLOR);
  ASSERT_FALSE(page.empty()) << "shared/data/mrz/images/passport-td3.png is missing";
  cv::Mat turned;
  cv::rotate(page, turned, GetParam());
  const MrzReading reading = read_mrz(turned);
  EXPECT_EQ(reading.outcome, MrzReadOutcome::Valid);
  EXPECT_EQ(reading.lines,
            (std::vector<std::string>{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                                      "L898902C36UTO7408122F1204159ZE184226B<<<<<10"}));
  const bool sideways = GetParam() != cv::ROTATE_180;
  EXPECT_EQ(reading.quarter_turns, sideways ? 1 : 0);
}

INSTANTIATE_TEST_SUITE_P(MrzReader, TurnedSpecimen,
                         ::testing::Values(cv::ROTATE_180, cv::ROTATE_90_CLOCKWISE,
                                           cv::ROTATE_90_COUNTERCLOCKWISE));

TEST(MrzReader, GreyscaleInputReadsLikeColour) {
  const cv::Mat page = cv::imread(test_support::shared_data_path("mrz/images/passport-td2.png"),
                                  cv::IMREAD_GRAYSCALE);
  ASSERT_FALSE(page.empty());
  const MrzReading reading = read_mrz(page);
  EXPECT_EQ(reading.outcome, MrzReadOutcome::Valid);
  ASSERT_TRUE(reading.mrz.has_value());
  EXPECT_EQ(reading.mrz->document_number, "D23145890");
  EXPECT_GT(reading.confidence, 0.5);
  EXPECT_LE(reading.confidence, 1.0);
  EXPECT_GT(reading.timings.ocr_us, 0);
}

}  // namespace
}  // namespace kyc::text
