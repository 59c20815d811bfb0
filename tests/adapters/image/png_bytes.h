// PNG files of every colour type, depth and layout for the decoder tests, written with libpng
// itself (cv::imencode writes only a few of them).
#pragma once

#include <png.h>

#include <cstdint>
#include <string>
#include <vector>

namespace kyc::test {

struct PngShape {
  int width = 37, height = 23;  // odd: interlaced passes and packed rows end part-way
  int colour = PNG_COLOR_TYPE_RGB;
  int depth = 8;
  bool interlaced = false;
  bool transparent_key = false;  // a tRNS chunk: palette alphas or a colour key
  int exif_orientation = 0;      // an eXIf chunk with this orientation, when not 0
  size_t text_bytes = 0;         // a zTXt chunk of this many bytes, inflated
};

inline void append(png_structp png, png_bytep data, png_size_t length) {
  auto* out = static_cast<std::string*>(png_get_io_ptr(png));
  out->append(reinterpret_cast<const char*>(data), length);
}

// Pixels from a fixed pattern, so that every sample value of the depth occurs.
inline std::string png_of(const PngShape& s) {
  std::string out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return {};
  }
  png_set_write_fn(png, &out, append, nullptr);
  png_set_IHDR(png, info, s.width, s.height, s.depth, s.colour,
               s.interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  const int levels = 1 << s.depth;
  std::vector<png_color> palette;
  std::vector<png_byte> alphas;
  if (s.colour == PNG_COLOR_TYPE_PALETTE) {
    for (int i = 0; i < levels; ++i) {
      palette.push_back({static_cast<png_byte>(i * 37), static_cast<png_byte>(255 - i * 11),
                         static_cast<png_byte>(i * 91)});
      alphas.push_back(static_cast<png_byte>(i * 53));
    }
    png_set_PLTE(png, info, palette.data(), levels);
  }
  png_color_16 key{};
  key.red = key.green = key.blue = key.gray = 1;
  if (s.transparent_key)
    png_set_tRNS(png, info, alphas.empty() ? nullptr : alphas.data(),
                 static_cast<int>(alphas.size()), alphas.empty() ? &key : nullptr);
  std::vector<png_byte> exif;
  if (s.exif_orientation) {
    // A little-endian TIFF header and one IFD entry: Orientation (0x0112), SHORT, 1 value.
    exif = {'I',
            'I',
            42,
            0,
            8,
            0,
            0,
            0,
            1,
            0,
            0x12,
            0x01,
            3,
            0,
            1,
            0,
            0,
            0,
            static_cast<png_byte>(s.exif_orientation),
            0,
            0,
            0,
            0,
            0,
            0,
            0};
    png_set_eXIf_1(png, info, static_cast<png_uint_32>(exif.size()), exif.data());
  }
  std::string text(s.text_bytes, 'a');
  png_text chunk{};
  if (s.text_bytes) {
    chunk.compression = PNG_TEXT_COMPRESSION_zTXt;
    chunk.key = const_cast<char*>("Comment");
    chunk.text = text.data();
    chunk.text_length = text.size();
    png_set_text(png, info, &chunk, 1);
  }
  png_write_info(png, info);
  const int channels = png_get_channels(png, info);
  const size_t row_bytes = png_get_rowbytes(png, info);
  std::vector<png_byte> row(row_bytes);
  const int passes = png_set_interlace_handling(png);
  for (int pass = 0; pass < passes; ++pass)
    for (int y = 0; y < s.height; ++y) {
      for (size_t i = 0; i < row_bytes; ++i)
        row[i] = static_cast<png_byte>((y * 29 + static_cast<int>(i) * 13 + channels) & 0xff);
      png_write_row(png, row.data());
    }
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return out;
}

}  // namespace kyc::test
