// One uploaded photo in, its facts out: the file checks first (format by magic bytes, size,
// pixel limit from the header), then, if the file may be decoded, the measures of the image
// and of the document in it. A file that cannot be decoded is a fact, not an error.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <opencv2/core.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/image/exif_reader.h"
#include "adapters/image/focus.h"
#include "adapters/image/image_options.h"
#include "adapters/image/lighting.h"
#include "adapters/image/recapture.h"
#include "common/stage_times.h"

namespace kyc::image {

struct ImageAnalysis {
  // file.*
  std::string format;  // jpeg png gif webp bmp tiff pdf heic unknown
  uint64_t bytes = 0;
  uint32_t width = 0, height = 0;  // from the header; 0 when unknown
  bool over_pixel_limit = false;
  bool decodable = false;
  bool over_byte_limit = false;  // not decoded: over ImageOptions::max_analysed_bytes
  std::string sha256;            // of the file; the audit log keeps this, never the image
  // image.* (only when decodable)
  Lighting lighting;  // brightness, glare, shadow, exposure, and the masks they used
  double sharpness = 0;
  Focus focus;  // how far the frame's edges are spread (defocus, motion)
  bool grey = false;
  ScreenCues screen;
  CopyCues copy;
  ExifSummary exif;
  // document.*
  bool document_detected = false, cut_off = false;
  double fill = 0;
  std::vector<cv::Point2f> corners;  // in the working copy
  double working_scale = 1;          // working copy -> original pixels
  // Not facts: the rectified document for the text adapter, the working copy (for --debug),
  // and the photo as decoded, which the text adapter reads when the crop gives no valid MRZ
  // (an outline that cut through the zone, or a wrong one).
  cv::Mat crop, working, decoded;
  cv::Mat measured;  // the document at measuring size, which lighting.masks lie on (--debug)
  common::StageTimes times;  // where the analysis spent its time
};

ImageAnalysis analyze_image(std::string_view bytes, const ImageOptions& options);

// The facts under their policy names (file.*, image.*, exif.*, document.*), `prefix` before
// each ("" or "back.").
void add_facts(const ImageAnalysis& a, boost::json::object& facts, const std::string& prefix = "");

}  // namespace kyc::image
