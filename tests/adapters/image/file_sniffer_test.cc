// Formats by magic bytes and sizes from headers, including lying and cut-short headers.
#include "adapters/image/file_sniffer.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/adapters/image/tiff_bytes.h"

using namespace kyc::image;

namespace {

std::string be32(uint32_t v) { return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)}; }
std::string le16(uint32_t v) { return {char(v), char(v >> 8)}; }
std::string le32(uint32_t v) { return le16(v & 0xffff) + le16(v >> 16); }

std::string png(uint32_t w, uint32_t h) {
  return std::string("\x89PNG\r\n\x1a\n", 8) + be32(13) + "IHDR" + be32(w) + be32(h) +
         std::string("\x08\x02\0\0\0", 5);
}

std::string jpeg(uint16_t w, uint16_t h) {
  std::string app0 = std::string("\xff\xe0\x00\x10JFIF\0", 9) + std::string(9, '\0');
  std::string sof = std::string("\xff\xc0\x00\x11\x08", 5) + char(h >> 8) + char(h) + char(w >> 8) +
                    char(w) + std::string(10, '\x01');
  return std::string("\xff\xd8", 2) + app0 + sof + "\xff\xda";
}

}  // namespace

TEST(FileSniffer, FormatsComeFromTheBytes) {
  EXPECT_EQ(format_name(sniff(png(1, 1)).format), "png");
  EXPECT_EQ(format_name(sniff(jpeg(1, 1)).format), "jpeg");
  EXPECT_EQ(format_name(sniff("GIF89a\x01\x00\x01\x00").format), "gif");
  EXPECT_EQ(format_name(sniff("GIF87a").format), "gif");
  EXPECT_EQ(format_name(sniff("%PDF-1.7\n").format), "pdf");
  EXPECT_EQ(format_name(sniff(std::string("\0\0\0\x18"
                                          "ftypheic",
                                          12))
                            .format),
            "heic");
  EXPECT_EQ(format_name(sniff(std::string("\0\0\0\x18"
                                          "ftypmp42",
                                          12))
                            .format),
            "unknown");
  EXPECT_EQ(format_name(sniff(std::string("II*\0", 4)).format), "tiff");
  EXPECT_EQ(format_name(sniff(std::string("MM\0*", 4)).format), "tiff");
  EXPECT_EQ(format_name(sniff(std::string("RIFF\0\0\0\0WEBPVP8 ", 16)).format), "webp");
  EXPECT_EQ(format_name(sniff("BM").format), "bmp");
  EXPECT_EQ(format_name(sniff("<html>").format), "unknown");
  EXPECT_EQ(format_name(sniff("").format), "unknown");
}

TEST(FileSniffer, SizesComeFromTheHeaders) {
  auto p = sniff(png(100000, 100000));
  ASSERT_TRUE(p.width);
  EXPECT_EQ(*p.width, 100000u);
  EXPECT_EQ(*p.height, 100000u);
  auto j = sniff(jpeg(4000, 3000));
  ASSERT_TRUE(j.width);
  EXPECT_EQ(*j.width, 4000u);
  EXPECT_EQ(*j.height, 3000u);
  auto g = sniff("GIF89a" + le16(640) + le16(480));
  ASSERT_TRUE(g.width);
  EXPECT_EQ(*g.width, 640u);
  auto b = sniff("BM" + std::string(12, '\0') + le32(40) + le32(300) + le32(uint32_t(-200)));
  ASSERT_TRUE(b.height);
  EXPECT_EQ(*b.height, 200u) << "a negative BMP height means top-down rows";
  auto w = sniff("RIFF" + le32(0) + "WEBPVP8X" + le32(10) + std::string(4, '\0') +
                 std::string("\x63\0\0\x31\0\0", 6));
  ASSERT_TRUE(w.width);
  EXPECT_EQ(*w.width, 100u);
  EXPECT_EQ(*w.height, 50u);
  auto t = sniff(std::string("II*\0", 4) + le32(8) + le16(2) + le16(256) + le16(3) + le32(1) +
                 le32(300) + le16(257) + le16(4) + le32(1) + le32(200));
  ASSERT_TRUE(t.width);
  EXPECT_EQ(*t.width, 300u);
  EXPECT_EQ(*t.height, 200u);
}

TEST(FileSniffer, CutShortOrLyingHeadersGiveNoSize) {
  std::string full = jpeg(4000, 3000);
  // Cut anywhere before the frame header's size fields are complete: no size.
  size_t sizes_end = full.find("\xff\xc0") + 9;
  for (size_t n = 0; n < sizes_end; ++n) EXPECT_FALSE(sniff(full.substr(0, n)).width) << n;
  EXPECT_TRUE(sniff(full.substr(0, sizes_end)).width);
  EXPECT_FALSE(sniff(png(0, 10)).width) << "a zero dimension is a broken header";
  EXPECT_FALSE(sniff(png(10, 10).substr(0, 20)).width);
  // A JPEG whose first segment claims to run past the end of the file.
  EXPECT_FALSE(sniff(std::string("\xff\xd8\xff\xe0\xff\xff", 6)).width);
  // A TIFF whose directory offset points outside the file.
  EXPECT_FALSE(sniff(std::string("II*\0", 4) + le32(0xfffffff0)).width);
}

TEST(FileSniffer, ATiffsTileSizeIsRead) {
  const FileHeader tiled = sniff(kyc::test::tiled_tiff(64, 48, 16384, 8192, false));
  ASSERT_EQ(format_name(tiled.format), "tiff");
  EXPECT_EQ(*tiled.width, 64u);
  EXPECT_EQ(*tiled.height, 48u);
  EXPECT_EQ(tiled.tile_pixels, uint64_t{16384} * 8192);
  EXPECT_EQ(sniff(png(64, 48)).tile_pixels, 0u) << "only a TIFF has tiles";
}
