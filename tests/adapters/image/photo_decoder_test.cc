// The photo decoder (adapters/image/photo_decoder.h): the same pixels as cv::imdecode at every
// DCT scale and EXIF orientation and for every kind of PNG, a stream cut short still read, a
// scan bomb refused, a damaged PNG refused without a print.
#include "adapters/image/photo_decoder.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <exiv2/exiv2.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

#include "adapters/image/exif_reader.h"
#include "tests/adapters/image/exif_bytes.h"
#include "tests/adapters/image/png_bytes.h"

namespace {

using kyc::image::decode_photo;

long peak_memory_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}
using kyc::image::FileFormat;

// Odd sizes, so that the last MCU row and column are partial at every scale.
std::string jpeg_of(const cv::Mat& pixels, std::vector<int> params = {}) {
  std::vector<uint8_t> out;
  params.insert(params.end(), {cv::IMWRITE_JPEG_QUALITY, 90});
  cv::imencode(".jpg", pixels, out, params);
  return {out.begin(), out.end()};
}

cv::Mat noisy_photo(int type = CV_8UC3) {
  cv::Mat m(203, 317, type);
  cv::randu(m, 0, 255);
  return m;
}

cv::Mat imdecode(const std::string& bytes, int flags) {
  return cv::imdecode(
      cv::Mat(1, static_cast<int>(bytes.size()), CV_8U, const_cast<char*>(bytes.data())), flags);
}

bool same_pixels(const cv::Mat& a, const cv::Mat& b) {
  return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0;
}

// The photo with its EXIF orientation tag set, as a phone writes it.
std::string with_orientation(const std::string& jpeg, int orientation) {
  auto image = Exiv2::ImageFactory::open(reinterpret_cast<const Exiv2::byte*>(jpeg.data()),
                                         static_cast<long>(jpeg.size()));
  Exiv2::ExifData exif;
  exif["Exif.Image.Orientation"] = static_cast<uint16_t>(orientation);
  return kyc::test::with_exif(*image, exif);
}

TEST(PhotoDecoder, GivesCvImdecodesPixelsAtEveryScale) {
  const std::string jpeg = jpeg_of(noisy_photo());
  const std::pair<int, int> scales[] = {{1, cv::IMREAD_COLOR},
                                        {2, cv::IMREAD_REDUCED_COLOR_2},
                                        {4, cv::IMREAD_REDUCED_COLOR_4},
                                        {8, cv::IMREAD_REDUCED_COLOR_8}};
  for (auto [denom, flag] : scales)
    EXPECT_TRUE(same_pixels(decode_photo(jpeg, {.format = FileFormat::Jpeg, .scale_denom = denom}),
                            imdecode(jpeg, flag)))
        << "1/" << denom;
}

TEST(PhotoDecoder, GivesAGreyJpegAsBgr) {
  const std::string jpeg = jpeg_of(noisy_photo(CV_8UC1));
  cv::Mat decoded = decode_photo(jpeg, {.format = FileFormat::Jpeg});
  EXPECT_EQ(decoded.type(), CV_8UC3);
  EXPECT_TRUE(same_pixels(decoded, imdecode(jpeg, cv::IMREAD_COLOR)));
}

TEST(PhotoDecoder, TurnsEveryExifOrientationUprightAsImdecodeDoes) {
  const std::string plain = jpeg_of(noisy_photo());
  for (int orientation = 1; orientation <= 8; ++orientation) {
    const std::string jpeg = with_orientation(plain, orientation);
    ASSERT_EQ(kyc::image::read_exif(jpeg).orientation, orientation);
    cv::Mat decoded = decode_photo(jpeg, {.format = FileFormat::Jpeg, .orientation = orientation});
    EXPECT_EQ(decoded.rows, orientation >= 5 ? 317 : 203) << orientation;
    EXPECT_TRUE(same_pixels(decoded, imdecode(jpeg, cv::IMREAD_COLOR))) << orientation;
  }
}

// What fills the rows past the end differs: libjpeg predicts them from the last data, OpenCV's
// own reader repeats its buffer. The rows that were sent are the same.
TEST(PhotoDecoder, ReadsAStreamCutShortLikeImdecode) {
  const std::string jpeg = jpeg_of(noisy_photo());
  const std::string cut = jpeg.substr(0, jpeg.size() * 6 / 10);
  cv::Mat decoded = decode_photo(cut, {.format = FileFormat::Jpeg});
  cv::Mat reference = imdecode(cut, cv::IMREAD_COLOR);
  ASSERT_EQ(decoded.size(), reference.size());
  const cv::Range sent(0, decoded.rows / 3);
  EXPECT_TRUE(same_pixels(decoded.rowRange(sent), reference.rowRange(sent)));
}

TEST(PhotoDecoder, RefusesBytesThatAreNoJpeg) {
  std::string junk = "\xFF\xD8\xFF\xE0";
  junk += std::string(300, '\x5A');
  EXPECT_TRUE(decode_photo(junk, {.format = FileFormat::Jpeg}).empty());
  EXPECT_TRUE(decode_photo(junk, {.format = FileFormat::Png}).empty());
}

TEST(PhotoDecoder, RefusesAProgressiveJpegWithMoreScansThanTheLimit) {
  // OpenCV writes a progressive JPEG in libjpeg's standard script: 10 scans for colour.
  const std::string jpeg = jpeg_of(noisy_photo(), {cv::IMWRITE_JPEG_PROGRESSIVE, 1});
  EXPECT_TRUE(decode_photo(jpeg, {.format = FileFormat::Jpeg, .max_jpeg_scans = 3}).empty());
  EXPECT_TRUE(same_pixels(decode_photo(jpeg, {.format = FileFormat::Jpeg}),
                          imdecode(jpeg, cv::IMREAD_COLOR)));
}

TEST(PhotoDecoder, RefusesAJpegOverThePixelLimitWhateverTheSnifferSaw) {
  const std::string jpeg = jpeg_of(noisy_photo());  // 317 x 203 = 64,351 pixels
  EXPECT_TRUE(decode_photo(jpeg, {.format = FileFormat::Jpeg, .max_pixels = 64'350}).empty());
  EXPECT_FALSE(decode_photo(jpeg, {.format = FileFormat::Jpeg, .max_pixels = 64'351}).empty());
}

TEST(PhotoDecoder, DecodesOtherFormatsThroughOpenCv) {
  cv::Mat pixels = noisy_photo();
  std::vector<uint8_t> webp;
  cv::imencode(".webp", pixels, webp, {cv::IMWRITE_WEBP_QUALITY, 101});  // lossless
  EXPECT_TRUE(same_pixels(
      decode_photo(std::string(webp.begin(), webp.end()), {.format = FileFormat::Webp}), pixels));
}

// PNGs are decoded through libpng itself (png_decoder.h): every colour type, depth and
// layout must give cv::imdecode's pixels.
TEST(PhotoDecoder, GivesCvImdecodesPixelsForEveryKindOfPng) {
  using kyc::test::PngShape;
  std::vector<PngShape> shapes;
  for (int depth : {1, 2, 4, 8, 16})
    shapes.push_back({.colour = PNG_COLOR_TYPE_GRAY, .depth = depth});
  for (int depth : {1, 2, 4, 8})
    shapes.push_back({.colour = PNG_COLOR_TYPE_PALETTE, .depth = depth, .transparent_key = true});
  for (int colour : {PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGBA, PNG_COLOR_TYPE_GRAY_ALPHA})
    for (int depth : {8, 16}) shapes.push_back({.colour = colour, .depth = depth});
  shapes.push_back({.colour = PNG_COLOR_TYPE_RGB, .transparent_key = true});
  shapes.push_back({.colour = PNG_COLOR_TYPE_GRAY, .transparent_key = true});
  shapes.push_back({.colour = PNG_COLOR_TYPE_RGB, .interlaced = true});
  shapes.push_back({.colour = PNG_COLOR_TYPE_PALETTE, .depth = 2, .interlaced = true});
  for (const PngShape& shape : shapes) {
    const std::string png = kyc::test::png_of(shape);
    ASSERT_FALSE(png.empty());
    const cv::Mat ours = decode_photo(png, {.format = FileFormat::Png});
    EXPECT_TRUE(same_pixels(ours, imdecode(png, cv::IMREAD_COLOR)))
        << "colour type " << shape.colour << ", " << shape.depth << " bits"
        << (shape.interlaced ? ", interlaced" : "") << (shape.transparent_key ? ", tRNS" : "");
  }
}

TEST(PhotoDecoder, TurnsAPngUprightByItsExifAsCvImdecodeDoes) {
  for (int orientation : {3, 6, 8}) {
    const std::string png = kyc::test::png_of({.exif_orientation = orientation});
    const int read = kyc::image::read_exif(png).orientation;
    EXPECT_EQ(read, orientation);
    EXPECT_TRUE(same_pixels(decode_photo(png, {.format = FileFormat::Png, .orientation = read}),
                            imdecode(png, cv::IMREAD_COLOR)))
        << orientation;
  }
}

// A damaged upload is refused without a word on the process's stderr, where libpng's own
// handlers (which cv::imdecode keeps) print "libpng error: ...".
TEST(PhotoDecoder, RefusesADamagedPngQuietly) {
  const std::string png = kyc::test::png_of({.width = 300, .height = 200});
  std::string cut = png.substr(0, png.size() / 2), bad_crc = png;
  bad_crc[png.size() / 2] ^= 0x5A;
  for (const std::string& damaged : {cut, bad_crc}) {
    testing::internal::CaptureStderr();
    const cv::Mat image = decode_photo(damaged, {.format = FileFormat::Png});
    const std::string printed = testing::internal::GetCapturedStderr();
    EXPECT_TRUE(image.empty());
    EXPECT_EQ(printed, "");
  }
  EXPECT_TRUE(decode_photo(png.substr(0, 40), {.format = FileFormat::Png}).empty());
}

// The decoder fuzzer's find: 86 bytes whose tEXt chunk declares 1.7 GB. libpng's chunk limit
// only warns, then it allocates the declared length (cv::imdecode did the same).
TEST(PhotoDecoder, RefusesAPngChunkLongerThanTheFile) {
  std::string png = kyc::test::png_of({});
  const size_t after_header = 8 + 25;  // the signature and IHDR
  std::string chunk("\x66\x74\x79\x70tEXtSoftware", 16);
  std::string lying = png.substr(0, after_header) + chunk + png.substr(after_header);
  const long before = peak_memory_kb();
  EXPECT_TRUE(decode_photo(lying, {.format = FileFormat::Png}).empty());
  EXPECT_LT(peak_memory_kb() - before, 256 * 1024) << "KB more at the peak";
  // The same file with the chunk's length telling the truth decodes.
  std::string honest = png.substr(0, after_header) + std::string("\0\0\0\x08tEXtSoftware", 16) +
                       std::string(4, '\0') + png.substr(after_header);
  EXPECT_FALSE(decode_photo(honest, {.format = FileFormat::Png}).empty());
}

TEST(PhotoDecoder, RefusesAPngOverThePixelLimitAndSkipsAnOversizedChunk) {
  const std::string png = kyc::test::png_of({.width = 300, .height = 200});
  EXPECT_TRUE(decode_photo(png, {.format = FileFormat::Png, .max_pixels = 59'999}).empty());
  EXPECT_FALSE(decode_photo(png, {.format = FileFormat::Png, .max_pixels = 60'000}).empty());
  // A text chunk that inflates past the limit is not inflated: the image still decodes.
  const std::string texted = kyc::test::png_of({.text_bytes = 2'000'000});
  ASSERT_LT(texted.size(), 20'000u);
  const cv::Mat expected = decode_photo(kyc::test::png_of({}), {.format = FileFormat::Png});
  EXPECT_TRUE(same_pixels(
      decode_photo(texted, {.format = FileFormat::Png, .max_png_chunk_bytes = 1'000'000}),
      expected));
  EXPECT_TRUE(same_pixels(decode_photo(texted, {.format = FileFormat::Png}), expected));
}

}  // namespace
