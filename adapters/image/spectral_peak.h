// A periodic lattice's peak in a patch's spectrum, the trace a screen's pixel grid leaves in a
// photo of it (moire), told apart from what also puts strong cells at high frequency: a
// straight edge, whose spectrum is a streak through the centre, a pattern printed in one
// direction (a line screen), and the spread a tilted screen gives its grid's peak.
#pragma once

#include <opencv2/core.hpp>

#include "adapters/image/image_options.h"

namespace kyc::image {

struct SpectralPeak {
  // The peak's amplitude against the band's median, both summed over a small neighbourhood of
  // cells; 0 when no isolated peak in the band has a partner of the lattice.
  double ratio = 0;
  // Its cell, with the zero frequency moved to the centre; also set, with a ratio of 0, for an
  // isolated peak without a partner (a debug picture shows it as seen, not counted).
  cv::Point at{-1, -1};
  cv::Point other{-1, -1};  // the peak of the lattice's other direction, the same way
};

// `spectrum`: the complex DFT (CV_32FC2, n x n, zero frequency at (0, 0)) of a windowed
// patch. The strongest isolated peak of its high-frequency band, when an isolated peak of about
// the same radius in another direction makes it a lattice.
SpectralPeak grid_peak(const cv::Mat& spectrum, const ImageOptions& options);

}  // namespace kyc::image
