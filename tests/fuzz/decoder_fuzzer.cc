// The photo decoder reads untrusted uploads: any bytes whose header the product would decode
// (decode_gate.h: every format it reads, JPEG through libjpeg-turbo at any DCT scale and EXIF
// orientation, the others through cv::imdecode) must give either nothing or an upright BGR
// image of a size the header allowed; never a crash, a read past the end or an allocation past
// the limits (libFuzzer's 2 GB RSS limit). The scale and orientation come from the input's
// length, so that real photos serve as seeds unchanged. A TIFF whose tiles dwarf its image made
// OpenCV allocate 1.1 GB from 152 bytes; the gate refuses it now.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "adapters/image/decode_gate.h"
#include "adapters/image/photo_decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // A small pixel limit keeps the fuzzer's memory low; the gate is the product's own.
  kyc::image::ImageOptions options;
  options.max_pixels = 1'000'000;
  const auto header = kyc::image::sniff(bytes);
  if (!kyc::image::header_allows_decoding(header, options)) return 0;
  const int scale = 1 << (size % 4);
  const int orientation = 1 + static_cast<int>((size / 4) % 8);
  const cv::Mat image = kyc::image::decode_photo(bytes, {.format = header.format,
                                                         .scale_denom = scale,
                                                         .orientation = orientation,
                                                         .max_pixels = options.max_pixels});
  if (!image.empty() &&
      (image.type() != CV_8UC3 || uint64_t(image.cols) * uint64_t(image.rows) > options.max_pixels))
    std::abort();
  return 0;
}
