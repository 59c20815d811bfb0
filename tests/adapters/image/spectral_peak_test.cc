// The grid's spectral peak (adapters/image/spectral_peak.h): a screen's grid, even seen at a
// slant, stands out; a straight edge, whose streak has strong cells at every frequency, and a
// pattern printed in one direction do not.
#include "adapters/image/spectral_peak.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>
#include <opencv2/imgproc.hpp>
#include <random>

namespace {

using kyc::image::grid_peak;
using kyc::image::ImageOptions;

double grid_peak_ratio(const cv::Mat& spectrum, const ImageOptions& o) {
  return grid_peak(spectrum, o).ratio;
}

constexpr int kSide = 512;

// A patch of mid grey plus `pattern(x, y)` and camera-like noise (sigma 3 levels), windowed
// and transformed as the screen cue does.
cv::Mat spectrum_of(const std::function<double(int, int)>& pattern) {
  std::mt19937 rng(7);
  std::normal_distribution<double> noise(0, 3);
  cv::Mat patch(kSide, kSide, CV_32F);
  for (int y = 0; y < kSide; ++y)
    for (int x = 0; x < kSide; ++x)
      patch.at<float>(y, x) = static_cast<float>(128 + pattern(x, y) + noise(rng));
  patch -= cv::mean(patch)[0];
  cv::Mat window, spectrum;
  cv::createHanningWindow(window, patch.size(), CV_32F);
  cv::dft(patch.mul(window), spectrum, cv::DFT_COMPLEX_OUTPUT);
  return spectrum;
}

// A pixel grid of period `period` px (rows and columns), 24 levels deep: what a screen's
// sub-pixels leave after the camera's sampling. `slant` widens the period across the patch
// by that share, as a screen photographed at an angle does.
double grid(int x, int y, double period, double slant) {
  const double px = period * (1 + slant * x / kSide), py = period * (1 + slant * y / kSide);
  return 6 * (std::cos(2 * std::numbers::pi * x / px) + std::cos(2 * std::numbers::pi * y / py));
}

// The strongest single band cell against the band's median: the measure before peaks were
// summed and checked for isolation.
double single_cell_ratio(const cv::Mat& spectrum, const ImageOptions& o) {
  cv::Mat planes[2], magnitude;
  cv::split(spectrum, planes);
  cv::magnitude(planes[0], planes[1], magnitude);
  std::vector<float> band;
  float strongest = 0;
  const int half = kSide / 2;
  for (int v = 0; v < kSide; ++v)
    for (int u = 0; u <= half; ++u) {
      const int fv = v > half ? v - kSide : v;
      const double r = std::hypot(u, fv);
      if (r < o.spectrum_band_low * half || r > o.spectrum_band_high * half) continue;
      band.push_back(magnitude.at<float>(v, u));
      strongest = std::max(strongest, magnitude.at<float>(v, u));
    }
  std::nth_element(band.begin(), band.begin() + static_cast<long>(band.size() / 2), band.end());
  return strongest / band[band.size() / 2];
}

TEST(SpectralPeak, AScreenGridStandsOut) {
  const ImageOptions o;
  EXPECT_GT(grid_peak_ratio(spectrum_of([](int x, int y) { return grid(x, y, 2.7, 0); }), o),
            o.moire_ratio_high);
}

TEST(SpectralPeak, AGridSeenAtASlantStillStandsOut) {
  // The period grows by 3% across the patch: its peaks spread over several cells.
  const ImageOptions o;
  EXPECT_GT(grid_peak_ratio(spectrum_of([](int x, int y) { return grid(x, y, 2.7, 0.03); }), o),
            o.moire_ratio_high);
}

TEST(SpectralPeak, AStraightLineIsNoPeak) {
  // A thin printed line across the patch, slightly tilted: a streak of strong cells through
  // the centre of the spectrum, as strong at high frequencies as at low. The single-cell
  // measure used before took it for moire (its cue began at a ratio of 60); it is no peak.
  const ImageOptions o;
  const cv::Mat spectrum =
      spectrum_of([](int x, int y) { return std::abs(x - (250 + 0.07 * y)) < 1 ? -120.0 : 0.0; });
  EXPECT_GT(single_cell_ratio(spectrum, o), 60);
  EXPECT_LT(grid_peak_ratio(spectrum, o), o.moire_ratio_low);
}

// A line screen (hatching, lines of microprint) as deep as the grid above, in one direction
// only: periodic, but not a lattice. Its peak stands out as the grid's does, and with the
// lattice required it no longer counts.
TEST(SpectralPeak, APatternPrintedInOneDirectionIsNoGrid) {
  ImageOptions o;
  const cv::Mat spectrum = spectrum_of([](int x, int y) {
    return 12 * std::cos(2 * std::numbers::pi * (x * 0.94 + y * 0.34) / 2.7);
  });
  const auto peak = grid_peak(spectrum, o);
  EXPECT_EQ(peak.ratio, 0);
  EXPECT_GE(peak.at.x, 0);  // seen (the debug picture rings it), not counted
  EXPECT_LT(peak.other.x, 0);
  o.moire_lattice_min_angle_deg = 0;  // any second peak, the line's own spread included
  EXPECT_GT(grid_peak_ratio(spectrum, o), o.moire_ratio_high);
}

// A delta (hexagonal) layout: three directions 60 degrees apart, one pitch.
TEST(SpectralPeak, ADeltaLatticeStandsOut) {
  const ImageOptions o;
  const cv::Mat spectrum = spectrum_of([](int x, int y) {
    double sum = 0;
    for (double deg : {10.0, 70.0, 130.0}) {
      const double a = deg * std::numbers::pi / 180;
      sum += 4 * std::cos(2 * std::numbers::pi * (x * std::cos(a) + y * std::sin(a)) / 2.7);
    }
    return sum;
  });
  const auto peak = grid_peak(spectrum, o);
  EXPECT_GT(peak.ratio, o.moire_ratio_high);
  EXPECT_GE(peak.other.x, 0);
}

// Two line screens crossed at 90 degrees but of pitches 2.5 and 4 px: no display has
// pixels twice as tall as wide.
TEST(SpectralPeak, CrossedLinesOfTwoPitchesAreNoGrid) {
  const ImageOptions o;
  const cv::Mat spectrum = spectrum_of([](int x, int y) {
    return 6 *
           (std::cos(2 * std::numbers::pi * x / 2.5) + std::cos(2 * std::numbers::pi * y / 4.0));
  });
  EXPECT_LT(grid_peak_ratio(spectrum, o), o.moire_ratio_low);
}

TEST(SpectralPeak, NoiseAloneIsNoPeak) {
  const ImageOptions o;
  EXPECT_LT(grid_peak_ratio(spectrum_of([](int, int) { return 0.0; }), o), o.moire_ratio_low);
}

TEST(SpectralPeak, AFlatPatchGivesNothing) {
  cv::Mat spectrum = cv::Mat::zeros(kSide, kSide, CV_32FC2);
  EXPECT_EQ(grid_peak_ratio(spectrum, ImageOptions{}), 0.0);
}

}  // namespace
