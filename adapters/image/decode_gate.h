// Which uploads are decoded at all, from their header alone: a decoder allocates what the
// header asks for before it reads a pixel, so whatever it may ask is bounded here first.
#pragma once

#include "adapters/image/file_sniffer.h"
#include "adapters/image/image_options.h"

namespace kyc::image {

// Formats the decoder reads (JPEG through libjpeg-turbo, PNG, WebP, BMP and TIFF through
// OpenCV) and the policy may accept; the others are never decoded.
bool decodable_format(FileFormat format);

// A format it reads, a size in the header (none means a broken header) within max_pixels, and
// tiles within max_tile_pixels. The byte limit comes on top (analyze_image).
bool header_allows_decoding(const FileHeader& header, const ImageOptions& options);

}  // namespace kyc::image
