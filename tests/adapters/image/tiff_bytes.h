// A little-endian RGB TIFF stored in tiles, written byte by byte: the outline of the files a
// hostile client can send (any tile size, data or not) that OpenCV cannot be asked to write.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace kyc::test {

// `width` x `height` pixels in tiles of `tile_width` x `tile_length`. With `with_tile`, one
// uncompressed tile of grey follows the directory; without it the file ends there.
inline std::string tiled_tiff(uint32_t width, uint32_t height, uint32_t tile_width,
                              uint32_t tile_length, bool with_tile) {
  auto le16 = [](uint32_t v) { return std::string{char(v), char(v >> 8)}; };
  auto le32 = [&](uint32_t v) { return le16(v & 0xffff) + le16(v >> 16); };
  const uint64_t tile_bytes = with_tile ? uint64_t{tile_width} * tile_length * 3 : 0;
  // (tag, type: 3 SHORT or 4 LONG, value), in tag order as TIFF asks.
  const std::vector<std::pair<uint32_t, std::pair<uint32_t, uint32_t>>> entries = {
      {256, {4, width}},
      {257, {4, height}},
      {258, {3, 8}},  // 8 bits per sample
      {259, {3, 1}},  // no compression
      {262, {3, 2}},  // RGB
      {277, {3, 3}},
      {284, {3, 1}},  // 3 samples, chunky
      {322, {4, tile_width}},
      {323, {4, tile_length}},
      {324, {4, 0}},  // offset: set below
      {325, {4, static_cast<uint32_t>(tile_bytes)}},
  };
  const uint32_t data_at = 8 + 2 + 12 * static_cast<uint32_t>(entries.size()) + 4;
  std::string out = std::string("II*\0", 4) + le32(8) + le16(static_cast<uint32_t>(entries.size()));
  for (const auto& [tag, typed] : entries) {
    const auto [type, value] = typed;
    out += le16(tag) + le16(type) + le32(1);
    const uint32_t v = tag == 324 ? data_at : value;
    out += type == 3 ? le16(v) + le16(0) : le32(v);
  }
  out += le32(0);  // no next directory
  out += std::string(tile_bytes, '\x80');
  return out;
}

}  // namespace kyc::test
