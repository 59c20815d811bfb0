// EXIF (adapters/image/exif_reader.h) is read only from the containers the service decodes:
// Exiv2 would parse some twenty others, chosen by the upload's first bytes.
#include "adapters/image/exif_reader.h"

#include <gtest/gtest.h>

#include <exiv2/exiv2.hpp>
#include <string>

#include "tests/adapters/image/exif_bytes.h"

namespace {

using kyc::image::read_exif;

// A file of Exiv2 `type` holding only EXIF with this make, written by Exiv2 itself.
std::string metadata_file(int type, const char* make) {
  auto image = Exiv2::ImageFactory::create(type);
  Exiv2::ExifData exif;
  exif["Exif.Image.Make"] = make;
  exif["Exif.Image.Orientation"] = uint16_t{6};
  return kyc::test::with_exif(*image, exif);
}

TEST(ExifReader, ReadsTheContainersTheServiceDecodes) {
  for (int type : {Exiv2::ImageType::jpeg, Exiv2::ImageType::png}) {
    const auto exif = read_exif(metadata_file(type, "Canon"));
    EXPECT_EQ(exif.make, "Canon") << type;
    EXPECT_EQ(exif.orientation, 6) << type;
  }
}

// An old camera's Latin-1 make, and one cut at 128 bytes inside a character: before, both made
// the record's facts unparsable and every upload of the photo got 503.
TEST(ExifReader, TextIsUtf8AndCutBetweenCharacters) {
  auto latin = read_exif(metadata_file(Exiv2::ImageType::jpeg, "Caf\xe9"));
  EXPECT_EQ(latin.make, "Caf\xEF\xBF\xBD");
  std::string long_make = std::string(127, 'a') + "\xc3\xa9";  // 127 bytes, then an e-acute
  auto cut = read_exif(metadata_file(Exiv2::ImageType::jpeg, long_make.c_str()));
  EXPECT_EQ(cut.make, std::string(127, 'a'));
}

// Exiv2's own sidecar format (EXV) stands for all the containers the service never decodes:
// read, it gives its make; the service's reader does not open it.
TEST(ExifReader, LeavesOtherContainersUnread) {
  const std::string exv = metadata_file(Exiv2::ImageType::exv, "Canon");
  auto image = Exiv2::ImageFactory::open(reinterpret_cast<const Exiv2::byte*>(exv.data()),
                                         static_cast<long>(exv.size()));
  image->readMetadata();
  ASSERT_EQ(image->exifData()["Exif.Image.Make"].toString(), "Canon");
  const auto exif = read_exif(exv);
  EXPECT_EQ(exif.make, "");
  EXPECT_EQ(exif.orientation, 1);
}

}  // namespace
