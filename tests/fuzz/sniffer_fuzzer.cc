// The image header sniffer reads untrusted uploads before anything is decoded: any bytes must
// give a format and, at most, a non-zero size; never a read past the end.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "adapters/image/file_sniffer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto header = kyc::image::sniff(std::string_view(reinterpret_cast<const char*>(data), size));
  if (header.width.has_value() != header.height.has_value()) std::abort();
  if (header.width && (*header.width == 0 || *header.height == 0)) std::abort();
  if (header.width && header.format == kyc::image::FileFormat::Unknown) std::abort();
  return 0;
}
