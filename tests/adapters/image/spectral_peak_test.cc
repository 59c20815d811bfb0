// The isolated spectral peak (adapters/image/spectral_peak.h): a screen's grid, even seen at a
// slant, stands out; a straight edge, whose streak has strong cells at every frequency, does
// not.
#include "adapters/image/spectral_peak.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>
#include <opencv2/imgproc.hpp>
#include <random>

namespace {

using kyc::image::ImageOptions;
using kyc::image::isolated_peak;

double isolated_peak_ratio(const cv::Mat& spectrum, const ImageOptions& o) {
  return isolated_peak(spectrum, o).ratio;
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
  EXPECT_GT(isolated_peak_ratio(spectrum_of([](int x, int y) { return grid(x, y, 2.7, 0); }), o),
            o.moire_ratio_high);
}

TEST(SpectralPeak, AGridSeenAtASlantStillStandsOut) {
  // The period grows by 3% across the patch: its peaks spread over several cells.
  const ImageOptions o;
  EXPECT_GT(isolated_peak_ratio(spectrum_of([](int x, int y) { return grid(x, y, 2.7, 0.03); }), o),
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
  EXPECT_LT(isolated_peak_ratio(spectrum, o), o.moire_ratio_low);
}

TEST(SpectralPeak, NoiseAloneIsNoPeak) {
  const ImageOptions o;
  EXPECT_LT(isolated_peak_ratio(spectrum_of([](int, int) { return 0.0; }), o), o.moire_ratio_low);
}

TEST(SpectralPeak, AFlatPatchGivesNothing) {
  cv::Mat spectrum = cv::Mat::zeros(kSide, kSide, CV_32FC2);
  EXPECT_EQ(isolated_peak_ratio(spectrum, ImageOptions{}), 0.0);
}

}  // namespace
