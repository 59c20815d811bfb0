// What analyze_image refuses to decode, from the header alone (adapters/image/image_analysis.h).
#include "adapters/image/image_analysis.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

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

}  // namespace
