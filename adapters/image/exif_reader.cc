#include "adapters/image/exif_reader.h"

#include <exiv2/bmpimage.hpp>
#include <exiv2/exiv2.hpp>
#include <exiv2/webpimage.hpp>

#include <algorithm>

#include "common/utf8.h"

namespace kyc::image {

namespace {

std::string tag(const Exiv2::ExifData& exif, const char* key) {
  auto it = exif.findKey(Exiv2::ExifKey(key));
  if (it == exif.end()) return {};
  std::string v = it->toString();
  while (!v.empty() && (v.back() == ' ' || v.back() == '\0')) v.pop_back();
  // UTF-8, as every fact's text: a Latin-1 "Caf\xe9" from an old camera once made the record's
  // facts unparsable, and the upload was answered 503 "retry later" however often it came.
  std::string text = common::repaired_utf8(v);
  // At most 128 bytes (a value is evidence in the audit log, not a payload), cut between
  // characters.
  size_t cut = std::min<size_t>(text.size(), 128);
  while (cut > 0 && cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
    --cut;
  return text.substr(0, cut);
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

// The containers the service decodes (decode_gate.h). Exiv2 tells a file's type by its own
// magic numbers and parses some twenty others; the first bytes of a hostile upload can name a
// type that was never meant to reach it. A 116-byte file whose "ftyp" at offset 4 made Exiv2
// read it as a BMFF (HEIF) box of 2.3 GB took 16 GB before std::bad_alloc (the EXIF fuzzer's
// find at stop 37).
bool read_by_the_service(int type) {
  return type == Exiv2::ImageType::jpeg || type == Exiv2::ImageType::png ||
         type == Exiv2::ImageType::tiff || type == Exiv2::ImageType::webp ||
         type == Exiv2::ImageType::bmp;
}

}  // namespace

ExifSummary read_exif(std::string_view bytes) {
  ExifSummary s;
  init_exiv2();
  try {
    const auto* data = reinterpret_cast<const Exiv2::byte*>(bytes.data());
    const long size = static_cast<long>(bytes.size());
    if (!read_by_the_service(Exiv2::ImageFactory::getType(data, size))) return s;
    auto image = Exiv2::ImageFactory::open(data, size);
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
