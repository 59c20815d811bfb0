#include "adapters/image/png_decoder.h"

#include <png.h>

#include <cstdint>
#include <cstring>
#include <vector>

namespace kyc::image {

namespace {

struct Source {
  const unsigned char* data;
  size_t size;
  size_t offset = 0;
};

void read_from_memory(png_structp png, png_bytep out, png_size_t length) {
  auto* source = static_cast<Source*>(png_get_io_ptr(png));
  if (length > source->size - source->offset) png_error(png, "cut short");
  std::memcpy(out, source->data + source->offset, length);
  source->offset += length;
}

// libpng's default handlers print to stderr; an error must not return (it jumps back to the
// decode's setjmp), a warning is dropped: the image still decodes.
[[noreturn]] void jump_back(png_structp png, png_const_charp) { png_longjmp(png, 1); }
void stay_quiet(png_structp, png_const_charp) {}

uint32_t big_endian(const unsigned char* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}

// Whether every chunk up to IEND lies whole within the bytes. libpng allocates a text chunk at
// the length its header declares before reading it, and its own chunk limit only warns: an
// 86-byte file declaring a 1.7 GB tEXt chunk took 1.7 GB (as it did through cv::imdecode).
// All the bytes are in memory, so a chunk longer than what is left is a lie, not a stream to
// wait for.
bool chunks_fit(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t at = 8;  // past the signature
  while (bytes.size() - at >= 12) {
    const uint64_t length = big_endian(p + at);
    if (length + 12 > bytes.size() - at) return false;
    const bool end = std::memcmp(p + at + 4, "IEND", 4) == 0;
    at += static_cast<size_t>(length) + 12;
    if (end) return true;
  }
  return false;  // cut short before IEND: libpng would refuse it at the end anyway
}

}  // namespace

cv::Mat decode_png(std::string_view bytes, const PngLimits& limits) {
  if (bytes.size() < 8 || !chunks_fit(bytes)) return {};
  Source source{reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()};
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr, jump_back, stay_quiet);
  if (!png) return {};
  png_infop info = png_create_info_struct(png);
  // Everything the jump may cross is made before it: no C++ object is built after setjmp.
  cv::Mat out;
  std::vector<png_bytep> rows;
  if (!info || setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, info ? &info : nullptr, nullptr);
    return {};
  }
  png_set_read_fn(png, &source, read_from_memory);
  png_set_chunk_malloc_max(png, limits.max_chunk_bytes);
  png_read_info(png, info);
  png_uint_32 width = 0, height = 0;
  int depth = 0, colour = 0;
  png_get_IHDR(png, info, &width, &height, &depth, &colour, nullptr, nullptr, nullptr);
  if (uint64_t{width} * height > limits.max_pixels) png_error(png, "too many pixels");
  // The order and choice of cv::imdecode's PNG decoder (OpenCV 4.6, IMREAD_COLOR), so that
  // the pixels are the same (photo_decoder_test.cc compares them).
  if (depth == 16) png_set_strip_16(png);
  png_set_strip_alpha(png);
  if (colour == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if ((colour & PNG_COLOR_MASK_COLOR) == 0 && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
  if (colour & PNG_COLOR_MASK_COLOR)
    png_set_bgr(png);
  else
    png_set_gray_to_rgb(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  if (png_get_rowbytes(png, info) != size_t{width} * 3) png_error(png, "not three bytes a pixel");
  out.create(static_cast<int>(height), static_cast<int>(width), CV_8UC3);
  rows.resize(height);
  for (png_uint_32 y = 0; y < height; ++y) rows[y] = out.ptr<png_byte>(static_cast<int>(y));
  png_read_image(png, rows.data());
  png_read_end(png, nullptr);
  png_destroy_read_struct(&png, &info, nullptr);
  return out;
}

}  // namespace kyc::image
