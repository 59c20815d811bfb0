#include "adapters/image/photo_decoder.h"

// clang-format off
#include <cstdio>  // jpeglib.h needs FILE and size_t declared first
#include <jpeglib.h>
// clang-format on

#include <array>
#include <csetjmp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "adapters/image/png_decoder.h"

namespace kyc::image {

namespace {

// libjpeg reports a fatal error by calling error_exit, which must not return: it jumps back
// to the decode. No C++ object is made between the setjmp and the calls that may jump.
struct JpegErrors {
  jpeg_error_mgr manager;
  std::jmp_buf jump;
};

[[noreturn]] void jump_back(j_common_ptr info) {
  std::longjmp(reinterpret_cast<JpegErrors*>(info->err)->jump, 1);
}

// Warnings (a stream cut short, a corrupt segment) are not printed: the image still decodes.
void stay_quiet(j_common_ptr) {}

// Counts the scans of a progressive stream as they are read, and stops a scan bomb.
struct ScanLimit {
  jpeg_progress_mgr manager;
  int max_scans;
};

void check_scans(j_common_ptr info) {
  auto* limit = reinterpret_cast<ScanLimit*>(info->progress);
  auto* decompress = reinterpret_cast<j_decompress_ptr>(info);
  if (decompress->input_scan_number > limit->max_scans) jump_back(info);
}

bool colour_libjpeg_converts(J_COLOR_SPACE space) {
  return space == JCS_YCbCr || space == JCS_GRAYSCALE || space == JCS_RGB;
}

enum class JpegResult { Decoded, Refused, NotHandled };

// Decodes into `out` (BGR, 8 bits). NotHandled: a colour space libjpeg cannot turn into BGR
// (CMYK, YCCK), which cv::imdecode converts itself.
JpegResult decode_jpeg(std::string_view bytes, const DecodeRequest& request, cv::Mat& out) {
  jpeg_decompress_struct info;
  JpegErrors errors;
  ScanLimit limit;
  info.err = jpeg_std_error(&errors.manager);
  errors.manager.error_exit = jump_back;
  errors.manager.output_message = stay_quiet;
  if (setjmp(errors.jump)) {
    jpeg_destroy_decompress(&info);
    return JpegResult::Refused;
  }
  jpeg_create_decompress(&info);
  limit.manager.progress_monitor = check_scans;
  limit.max_scans = request.max_jpeg_scans;
  info.progress = &limit.manager;
  jpeg_mem_src(&info, reinterpret_cast<const unsigned char*>(bytes.data()),
               static_cast<unsigned long>(bytes.size()));
  if (jpeg_read_header(&info, TRUE) != JPEG_HEADER_OK ||
      uint64_t{info.image_width} * info.image_height > request.max_pixels) {
    jpeg_destroy_decompress(&info);
    return JpegResult::Refused;
  }
  if (!colour_libjpeg_converts(info.jpeg_color_space)) {
    jpeg_destroy_decompress(&info);
    return JpegResult::NotHandled;
  }
  info.scale_num = 1;
  info.scale_denom = static_cast<unsigned>(request.scale_denom);
  info.out_color_space = JCS_EXT_BGR;
  jpeg_start_decompress(&info);
  out.create(static_cast<int>(info.output_height), static_cast<int>(info.output_width), CV_8UC3);
  std::array<JSAMPROW, 16> rows;
  while (info.output_scanline < info.output_height) {
    JDIMENSION first = info.output_scanline;
    JDIMENSION n = std::min<JDIMENSION>(rows.size(), info.output_height - first);
    for (JDIMENSION i = 0; i < n; ++i) rows[i] = out.ptr<JSAMPLE>(static_cast<int>(first + i));
    jpeg_read_scanlines(&info, rows.data(), n);
  }
  jpeg_finish_decompress(&info);
  jpeg_destroy_decompress(&info);
  return JpegResult::Decoded;
}

// EXIF orientation 1-8 (TIFF 6.0): where the stored rows' first pixel belongs.
cv::Mat upright(const cv::Mat& stored, int orientation) {
  cv::Mat out;
  switch (orientation) {
    case 2:
      cv::flip(stored, out, 1);
      return out;
    case 3:
      cv::flip(stored, out, -1);
      return out;
    case 4:
      cv::flip(stored, out, 0);
      return out;
    case 5:
      cv::transpose(stored, out);
      return out;
    case 6:
      cv::rotate(stored, out, cv::ROTATE_90_CLOCKWISE);
      return out;
    case 7:
      cv::transpose(stored, out);
      cv::flip(out, out, -1);
      return out;
    case 8:
      cv::rotate(stored, out, cv::ROTATE_90_COUNTERCLOCKWISE);
      return out;
    default:
      return stored;
  }
}

int reduced_flag(int scale_denom) {
  switch (scale_denom) {
    case 2:
      return cv::IMREAD_REDUCED_COLOR_2;
    case 4:
      return cv::IMREAD_REDUCED_COLOR_4;
    case 8:
      return cv::IMREAD_REDUCED_COLOR_8;
    default:
      return cv::IMREAD_COLOR;
  }
}

}  // namespace

cv::Mat decode_photo(std::string_view bytes, const DecodeRequest& request) {
  if (request.format == FileFormat::Png) {
    cv::Mat stored = decode_png(
        bytes, {.max_pixels = request.max_pixels, .max_chunk_bytes = request.max_png_chunk_bytes});
    return stored.empty() ? stored : upright(stored, request.orientation);
  }
  if (request.format == FileFormat::Jpeg) {
    cv::Mat stored;
    switch (decode_jpeg(bytes, request, stored)) {
      case JpegResult::Decoded:
        return upright(stored, request.orientation);
      case JpegResult::Refused:
        return {};
      case JpegResult::NotHandled:
        break;
    }
  }
  cv::Mat raw(1, static_cast<int>(bytes.size()), CV_8U, const_cast<char*>(bytes.data()));
  try {
    return cv::imdecode(raw, request.format == FileFormat::Jpeg ? reduced_flag(request.scale_denom)
                                                                : cv::IMREAD_COLOR);
  } catch (const cv::Exception&) {
    return {};  // a corrupt stream the codec refuses
  }
}

}  // namespace kyc::image
