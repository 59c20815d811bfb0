// Is this the original document? Cues that the photo shows a screen (a screenshot, or a
// photo of a display) or a photocopy/print, each reported on its own and combined into the
// two likelihoods `image.screen` and `image.copy`.
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>

#include "adapters/image/exif_reader.h"
#include "adapters/image/image_options.h"

namespace kyc::image {

struct ScreenCues {
  double moire = 0;          // strength of isolated periodic peaks in the spectrum, 0..1
  double ui_bars = 0;        // flat full-width bars at the top or bottom, 0..1
  bool screen_size = false;  // the pixel size is exactly a common screen resolution
  bool camera_exif = false;
  double score = 0;  // image.screen
  cv::Mat spectrum;  // the searched patch's log spectrum, centred, 8-bit BGR, the counted
                     // peak ringed; only with ImageOptions::debug_pictures
};

struct CopyCues {
  double saturation = 0;  // colour spread of the document, white balanced (0: one tint or none)
  double contrast = 0;    // luma spread p98 - p2 of the document, 0..255
  double texture = 0;     // fine grain in the flat areas (paper, toner), 0..1
  double score = 0;       // image.copy
  cv::Mat balanced;       // the document white balanced on its paper, as the colour spread
                          // was read; only with ImageOptions::debug_pictures
};

// `decoded` the photo at decode resolution (BGR), `document_centre` where in it moire is looked
// for (the document's centre, or the frame's without one), `working_grey` the working copy in
// luma.
ScreenCues screen_cues(const cv::Mat& decoded, cv::Point2f document_centre,
                       const cv::Mat& working_grey, uint32_t width, uint32_t height,
                       const ExifSummary& exif, const ImageOptions& options);
// `document` the rectified document at measuring size (BGR).
CopyCues copy_cues(const cv::Mat& document, const ImageOptions& options);

}  // namespace kyc::image
