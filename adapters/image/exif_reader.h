// Camera EXIF (Exiv2): a photo from a phone or camera names its maker and model; screenshots
// and most re-encoded images do not. One cue among several for `image.screen`. The
// orientation tells the decoder which way up the photo was taken. Only the containers the
// service decodes (JPEG, PNG, TIFF, WebP, BMP) are read; Exiv2 is not let loose on others.
#pragma once

#include <string>
#include <string_view>

namespace kyc::image {

struct ExifSummary {
  std::string make, model, software;  // empty when absent
  int orientation = 1;  // how the stored pixels are turned upright (EXIF 1-8)
  bool camera() const { return !make.empty() || !model.empty(); }
};

// Never throws: unreadable metadata is the same as none.
ExifSummary read_exif(std::string_view bytes);

}  // namespace kyc::image
