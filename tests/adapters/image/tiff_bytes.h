// A little-endian RGB TIFF stored in tiles, written byte by byte: the shape of the files a
// hostile client can send (any tile size, data or not), which OpenCV cannot be asked to write.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace kyc::test {

// `width` x `height` pixels in tiles of `tile_width` x `tile_length`, 8 bits per sample (as a
// real RGB TIFF gives it: three SHORTs past the directory). With `with_tile`, one
// uncompressed tile of grey follows; without it the file ends there.
inline std::string tiled_tiff(uint32_t width, uint32_t height, uint32_t tile_width,
                              uint32_t tile_length, bool with_tile) {
  constexpr uint32_t bits = 8;
  auto le16 = [](uint32_t v) { return std::string{char(v), char(v >> 8)}; };
  auto le32 = [&](uint32_t v) { return le16(v & 0xffff) + le16(v >> 16); };
  const uint64_t tile_bytes = with_tile ? uint64_t{tile_width} * tile_length * 3 * bits / 8 : 0;
  // (tag, type: 3 SHORT or 4 LONG, count), in tag order as TIFF asks; values below.
  const std::vector<std::pair<uint32_t, std::pair<uint32_t, uint32_t>>> entries = {
      {256, {4, 1}}, {257, {4, 1}}, {258, {3, 3}}, {259, {3, 1}}, {262, {3, 1}}, {277, {3, 1}},
      {284, {3, 1}}, {322, {4, 1}}, {323, {4, 1}}, {324, {4, 1}}, {325, {4, 1}},
  };
  const uint32_t bits_at = 8 + 2 + 12 * static_cast<uint32_t>(entries.size()) + 4;
  const uint32_t data_at = bits_at + 6;
  auto value_of = [&](uint32_t tag) -> uint32_t {
    switch (tag) {
      case 256:
        return width;
      case 257:
        return height;
      case 258:
        return bits_at;  // where the three bits per sample are
      case 259:
        return 1;  // no compression
      case 262:
        return 2;  // RGB
      case 277:
        return 3;  // samples per pixel
      case 284:
        return 1;  // chunky
      case 322:
        return tile_width;
      case 323:
        return tile_length;
      case 324:
        return data_at;
      default:
        return static_cast<uint32_t>(tile_bytes);  // 325: the tile's byte count
    }
  };
  std::string out = std::string("II*\0", 4) + le32(8) + le16(static_cast<uint32_t>(entries.size()));
  for (const auto& [tag, typed] : entries) {
    const auto [type, count] = typed;
    const uint32_t v = value_of(tag);
    out += le16(tag) + le16(type) + le32(count);
    out += type == 3 && count == 1 ? le16(v) + le16(0) : le32(v);
  }
  out += le32(0);  // no next directory
  out += le16(bits) + le16(bits) + le16(bits);
  out += std::string(tile_bytes, '\x80');
  return out;
}

}  // namespace kyc::test
