// The shared AAMVA payloads, printed as PDF417 with zxing-cpp's writer, photographed
// synthetically (on a card, in perspective, blurred, noisy, JPEG-compressed) and read back:
// the decoded text parses to exactly the expected fields.
#define ZX_USE_UTF8 1
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <sstream>

#include "adapters/aamva/aamva.h"
#include "adapters/barcode/pdf417_reader.h"

namespace json = boost::json;

namespace {

json::array payloads() {
  std::ifstream in(KYC_SHARED_DATA_DIR "/aamva/payloads.json");
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str()).at("payloads").as_array();
}

cv::Mat render_pdf417(const std::string& payload, int module_px) {
  ZXing::MultiFormatWriter writer(ZXing::BarcodeFormat::PDF417);
  writer.setMargin(2);
  ZXing::BitMatrix bits = writer.encode(payload, 0, 0);
  cv::Mat symbol(bits.height(), bits.width(), CV_8U);
  for (int y = 0; y < bits.height(); ++y)
    for (int x = 0; x < bits.width(); ++x) symbol.at<uint8_t>(y, x) = bits.get(x, y) ? 0 : 255;
  cv::resize(symbol, symbol, {}, module_px, module_px, cv::INTER_NEAREST);
  return symbol;
}

// The back of a licence on a table, photographed: the symbol on a tinted card, the card
// tilted in perspective, defocus, sensor noise and JPEG at quality 85.
cv::Mat photograph(const cv::Mat& symbol, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> jitter(-0.04f, 0.04f);
  cv::Mat card(symbol.rows * 2, std::max(symbol.cols + 80, symbol.rows * 3), CV_8UC3,
               cv::Scalar(225, 232, 238));
  cv::Mat bgr;
  cv::cvtColor(symbol, bgr, cv::COLOR_GRAY2BGR);
  bgr.copyTo(card(cv::Rect((card.cols - bgr.cols) / 2, card.rows / 3, bgr.cols, bgr.rows)));
  cv::Size frame(card.cols * 3 / 2, card.rows * 3 / 2);
  float w = static_cast<float>(frame.width), h = static_cast<float>(frame.height);
  cv::Point2f src[4] = {
      {0, 0}, {float(card.cols), 0}, {float(card.cols), float(card.rows)}, {0, float(card.rows)}};
  cv::Point2f dst[4] = {{w * (0.15f + jitter(rng)), h * (0.17f + jitter(rng))},
                        {w * (0.85f + jitter(rng)), h * (0.14f + jitter(rng))},
                        {w * (0.83f + jitter(rng)), h * (0.86f + jitter(rng))},
                        {w * (0.17f + jitter(rng)), h * (0.83f + jitter(rng))}};
  cv::Mat photo(frame, CV_8UC3, cv::Scalar(70, 85, 100));
  cv::warpPerspective(card, photo, cv::getPerspectiveTransform(src, dst), frame, cv::INTER_LINEAR,
                      cv::BORDER_TRANSPARENT);
  cv::GaussianBlur(photo, photo, {0, 0}, 0.8);
  cv::Mat noise(photo.size(), CV_16SC3);
  cv::randn(noise, 0, 5);
  photo.convertTo(photo, CV_16SC3);
  photo += noise;
  photo.convertTo(photo, CV_8UC3);
  std::vector<uint8_t> jpeg;
  cv::imencode(".jpg", photo, jpeg, {cv::IMWRITE_JPEG_QUALITY, 85});
  return cv::imdecode(jpeg, cv::IMREAD_COLOR);
}

}  // namespace

TEST(Pdf417Photo, SharedPayloadsSurviveAPhotoAndParseToTheExpectedFields) {
  json::array all = payloads();
  ASSERT_EQ(all.size(), 2u);
  uint32_t seed = 1;
  for (const auto& entry : all) {
    std::string id(entry.at("id").as_string());
    std::string payload(entry.at("payload").as_string());
    cv::Mat photo = photograph(render_pdf417(payload, 3), seed++);
    auto text = kyc::barcode::read_pdf417(photo);
    ASSERT_TRUE(text) << id << ": no PDF417 found in the photo";
    EXPECT_EQ(*text, payload) << id;
    auto parsed = kyc::text::parse_aamva(*text);
    ASSERT_TRUE(parsed) << id << ": " << parsed.error().message;
    const auto& file = *parsed;
    const auto& expected = entry.at("expected").as_object();
    EXPECT_EQ(file.header.aamva_version, expected.at("header").at("aamva_version").as_int64());
    for (const auto& sub : expected.at("subfiles").as_array()) {
      std::string type(sub.at("subfile_type").as_string());
      const auto* subfile = file.find_subfile(type);
      ASSERT_NE(subfile, nullptr) << id << " " << type;
      for (const auto& [element, value] : sub.at("elements").as_object()) {
        const auto* found = subfile->find(element);
        ASSERT_NE(found, nullptr) << id << " " << type << " " << element;
        EXPECT_EQ(found->value, value.as_string()) << id << " " << element;
      }
    }
  }
}

TEST(Pdf417Photo, NoBarcodeMeansNothing) {
  cv::Mat blank(600, 900, CV_8UC3, cv::Scalar(200, 210, 220));
  cv::putText(blank, "DRIVER LICENSE", {50, 300}, cv::FONT_HERSHEY_SIMPLEX, 2, {0, 0, 0}, 3);
  EXPECT_FALSE(kyc::barcode::read_pdf417(blank));
  EXPECT_FALSE(kyc::barcode::read_pdf417(cv::Mat()));
}
