// The bytes of an image once Exiv2 has written EXIF into it, for the tests that read EXIF back.
#pragma once

#include <exiv2/exiv2.hpp>
#include <string>

namespace kyc::test {

inline std::string with_exif(Exiv2::Image& image, const Exiv2::ExifData& exif) {
  image.setExifData(exif);
  image.writeMetadata();
  Exiv2::BasicIo& io = image.io();
  io.seek(0, Exiv2::BasicIo::beg);
  Exiv2::DataBuf buf = io.read(static_cast<long>(io.size()));
  return {reinterpret_cast<const char*>(buf.pData_), static_cast<size_t>(buf.size_)};
}

}  // namespace kyc::test
