#include "adapters/image/exif_reader.h"

#include <exiv2/exiv2.hpp>

namespace kyc::image {

namespace {

std::string tag(const Exiv2::ExifData& exif, const char* key) {
  auto it = exif.findKey(Exiv2::ExifKey(key));
  if (it == exif.end()) return {};
  std::string v = it->toString();
  while (!v.empty() && (v.back() == ' ' || v.back() == '\0')) v.pop_back();
  return v.substr(0, 128);  // a value is evidence in the audit log, not a payload
}

// Exiv2 writes warnings to stderr and its XMP parser must be set up once before threads use
// it: both are done on first use.
void init_exiv2() {
  static const bool done = [] {
    Exiv2::LogMsg::setLevel(Exiv2::LogMsg::mute);
    Exiv2::XmpParser::initialize();
    return true;
  }();
  (void)done;
}

}  // namespace

ExifSummary read_exif(std::string_view bytes) {
  ExifSummary s;
  init_exiv2();
  try {
    auto image = Exiv2::ImageFactory::open(reinterpret_cast<const Exiv2::byte*>(bytes.data()),
                                           static_cast<long>(bytes.size()));
    if (image.get() == nullptr) return s;
    image->readMetadata();
    const Exiv2::ExifData& exif = image->exifData();
    s.make = tag(exif, "Exif.Image.Make");
    s.model = tag(exif, "Exif.Image.Model");
    s.software = tag(exif, "Exif.Image.Software");
    std::string orientation = tag(exif, "Exif.Image.Orientation");
    if (orientation.size() == 1 && orientation[0] >= '1' && orientation[0] <= '8')
      s.orientation = orientation[0] - '0';
  } catch (const std::exception&) {
    // Exiv2 throws on malformed metadata: the file simply has no usable EXIF.
  }
  return s;
}

}  // namespace kyc::image
