// Photo bytes -> upright BGR pixels. JPEGs in YCbCr or grey go straight through libjpeg-turbo
// into OpenCV's colour order, PNGs through libpng (png_decoder.h); everything else through
// cv::imdecode. Debian's OpenCV 4.6 asks
// libjpeg for RGB and swaps every pixel to BGR one byte at a time, which was a third of the
// time of a half-size decode of a 12 MP photo (bench/README.md, "Decoding without the byte
// swap"). The pixels are the same: the same libjpeg decodes them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <opencv2/core/mat.hpp>
#include <string_view>

#include "adapters/image/file_sniffer.h"
#include "adapters/image/image_options.h"

namespace kyc::image {

// The limits default to ImageOptions', where every limit of the image adapter is set.
struct DecodeRequest {
  FileFormat format = FileFormat::Unknown;
  // libjpeg's DCT scaling: 1, 2, 4 or 8 (JPEG only; other formats decode at full size).
  int scale_denom = 1;
  // The EXIF orientation (1-8, anything else is 1) the photo is turned upright by, as
  // cv::imdecode does for a JPEG.
  int orientation = 1;
  // A progressive JPEG is read scan by scan; a hostile one can hold thousands of tiny scans
  // that take minutes to decode. More than this is refused (libjpeg-turbo's tools use 500).
  int max_jpeg_scans = ImageOptions{}.max_jpeg_scans;
  // A JPEG or PNG whose header, as its decoder reads it, holds more pixels than this is refused
  // before any allocation. The caller checks the sniffed header first (file_sniffer.h); this
  // holds even when a crafted stream shows the sniffer another size than the decoder.
  uint64_t max_pixels = ImageOptions{}.max_pixels;
  // A PNG's ancillary chunk (text, ICC profile) is inflated up to this size, no further.
  size_t max_png_chunk_bytes = ImageOptions{}.max_png_chunk_bytes;
};

// Empty when the bytes cannot be decoded. Like cv::imdecode, a JPEG cut short still gives its
// image, grey where the data ends.
cv::Mat decode_photo(std::string_view bytes, const DecodeRequest& request);

}  // namespace kyc::image
