#include "adapters/image/decode_gate.h"

#include <algorithm>
#include <cstdint>

namespace kyc::image {

bool decodable_format(FileFormat f) {
  return f == FileFormat::Jpeg || f == FileFormat::Png || f == FileFormat::Webp ||
         f == FileFormat::Bmp || f == FileFormat::Tiff;
}

bool header_allows_decoding(const FileHeader& header, const ImageOptions& o) {
  if (!decodable_format(header.format) || !header.width) return false;
  const uint64_t pixels = uint64_t{*header.width} * *header.height;
  // A tile may pad a small image up to max_tile_pixels; larger than that and than the image
  // itself, it is an allocation, not a layout.
  return pixels <= o.max_pixels && header.tile_pixels <= std::max(pixels, o.max_tile_pixels);
}

}  // namespace kyc::image
