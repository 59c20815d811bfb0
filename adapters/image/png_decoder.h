// PNG bytes -> BGR pixels through libpng itself, with the transformations cv::imdecode asks
// for (IMREAD_COLOR): 16-bit samples stripped to 8, alpha dropped (not composited), a palette
// and grey of 1-4 bits expanded, grey turned to three channels, interlaced passes merged.
// Why not cv::imdecode: OpenCV lets libpng print every error of a damaged upload to the
// process's stderr ("libpng error: IDAT: CRC error"), outside the service's JSON log and
// without the request it belongs to. Here errors end the decode quietly, the image and chunk
// limits are ours, and a chunk that declares more bytes than the file holds is refused before
// libpng allocates it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <opencv2/core/mat.hpp>
#include <string_view>

namespace kyc::image {

// Given by the caller (DecodeRequest, from ImageOptions).
struct PngLimits {
  uint64_t max_pixels;     // refused after the header, before any allocation
  size_t max_chunk_bytes;  // an ancillary chunk (text, ICC profile) decompressed
};

// Empty when the bytes are not a PNG libpng can decode, or break a limit.
cv::Mat decode_png(std::string_view bytes, const PngLimits& limits);

}  // namespace kyc::image
