// EXIF is read (Exiv2) from every upload before it is decoded, whatever its format: any bytes
// must give a summary, never an escaped exception, a crash or an allocation past the fuzzer's
// limit. The summary's values are bounded and its orientation is 1-8.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "adapters/image/exif_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto exif =
      kyc::image::read_exif(std::string_view(reinterpret_cast<const char*>(data), size));
  if (exif.orientation < 1 || exif.orientation > 8) std::abort();
  if (exif.make.size() > 128 || exif.model.size() > 128 || exif.software.size() > 128) std::abort();
  return 0;
}
