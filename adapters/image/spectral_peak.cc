#include "adapters/image/spectral_peak.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <utility>
#include <vector>

namespace kyc::image {

namespace {

// |F|^2 with the zero frequency moved to the centre (a circular shift by half the size), in
// one pass.
cv::Mat centred_power(const cv::Mat& spectrum) {
  const int rows = spectrum.rows, cols = spectrum.cols;
  cv::Mat power(rows, cols, CV_32F);
  const int shift = cols / 2;
  for (int y = 0; y < rows; ++y) {
    const cv::Vec2f* in = spectrum.ptr<cv::Vec2f>(y);
    float* out = power.ptr<float>((y + rows / 2) % rows);
    // Columns 0.. move to shift.., the last shift wrap round to 0..: no division per cell.
    for (int x = 0; x < cols; ++x) {
      const float re = in[x][0], im = in[x][1];
      out[x < cols - shift ? x + shift : x + shift - cols] = re * re + im * im;
    }
  }
  return power;
}

// Whether `b` (a cell's frequency) lies in another direction of the lattice whose peak is at
// `a`: its direction at least moire_lattice_min_angle_deg from a's (either way round: a
// spectrum cell and its mirror are one wave), its radius within moire_lattice_pitch_ratio.
bool other_lattice_direction(cv::Point a, cv::Point b, const ImageOptions& o) {
  const double ra = std::hypot(a.x, a.y), rb = std::hypot(b.x, b.y);
  if (ra <= 0 || rb <= 0) return false;
  if (std::max(ra, rb) > o.moire_lattice_pitch_ratio * std::min(ra, rb)) return false;
  const double cos_between = std::abs(a.x * b.x + a.y * b.y) / (ra * rb);
  return cos_between <= std::cos(o.moire_lattice_min_angle_deg * std::numbers::pi / 180);
}

}  // namespace

// Physics of the shapes in the band (a ring of high frequencies, where print and
// content have little energy):
// - A screen's grid is periodic: its energy sits in a few peaks. Seen in perspective (a
//   phone held at a slant), the grid's period changes across the patch and each peak spreads
//   over several cells, so a single cell understates it: power is summed over
//   moire_peak_cells x moire_peak_cells before peaks are compared.
// - A straight edge (a card's border, a line of print) puts its energy on a line through the
//   zero frequency, falling off as 1 / frequency: every cell of that streak is weaker than the
//   cells on the same line nearer the centre. A peak is taken only when it stands
//   moire_isolation times over the strongest of those inner cells (moire_inward_from..to of
//   its radius). A grid's harmonic is not lost to its fundamental (at a half or a third of the
//   harmonic's radius, outside that stretch), and the strongest peak is usually the
//   fundamental itself.
// - Noise, grain and print fill the band evenly: its median is the floor.
// - A display's pixels are a lattice in two dimensions: rows and columns of one pitch (or a
//   diamond or delta layout, also of one pitch), so its grid has isolated peaks in at least
//   two directions at about the same radius. A line screen, hatching or lines of microprint
//   on a card repeat in one direction only: their peak and its harmonics lie on one line
//   through the centre, and without a partner in another direction they are not a grid.
//   (A printed dot screen is a lattice too: this cue does not tell it from a display.)
SpectralPeak grid_peak(const cv::Mat& spectrum, const ImageOptions& o) {
  const int n = std::min(spectrum.rows, spectrum.cols), half = n / 2;
  if (n < 16) return {};
  cv::Mat summed;
  cv::boxFilter(centred_power(spectrum), summed, CV_32F, {o.moire_peak_cells, o.moire_peak_cells},
                {-1, -1}, false, cv::BORDER_REFLECT_101);
  const double r_low = o.spectrum_band_low * half, r_high = o.spectrum_band_high * half;
  const double r2_low = r_low * r_low, r2_high = r_high * r_high;
  // The JPEG 8-pixel block grid puts its harmonics at multiples of n/8; the window spreads
  // each over the cells beside it.
  auto near_codec = [&](int f) {
    int off = ((f * 8) % n + n) % n;
    return std::min(off, n - off) <= 8 * o.codec_guard_cells;
  };
  // Whether each column and row lies on one: every cell of the band asks twice.
  std::vector<uint8_t> codec_at(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) codec_at[static_cast<size_t>(i)] = near_codec(i - half);
  // A real patch's spectrum is symmetric about the centre: the right half holds every value.
  std::vector<float> band;
  band.reserve(static_cast<size_t>(n) * (half + 1));
  auto in_band = [&](int x, int y) {
    const int fx = x - half, fy = y - half;
    const double r2 = static_cast<double>(fx * fx + fy * fy);
    return r2 >= r2_low && r2 <= r2_high && !codec_at[static_cast<size_t>(x)] &&
           !codec_at[static_cast<size_t>(y)];
  };
  for (int y = 0; y < n; ++y) {
    const float* row = summed.ptr<float>(y);
    for (int x = half; x < n; ++x)
      if (in_band(x, y)) band.push_back(row[x]);
  }
  if (band.empty()) return {};
  std::nth_element(band.begin(), band.begin() + static_cast<long>(band.size() / 2), band.end());
  const double floor = std::max<double>(band[band.size() / 2], 1e-12);
  // Only cells that could reach the low ratio are candidates, strongest first.
  const double least = floor * o.moire_ratio_low * o.moire_ratio_low;
  std::vector<std::pair<float, cv::Point>> cells;  // (summed power, centred position)
  for (int y = 0; y < n; ++y) {
    const float* row = summed.ptr<float>(y);
    for (int x = half; x < n; ++x)
      if (row[x] >= least && in_band(x, y)) cells.push_back({row[x], {x, y}});
  }
  auto isolated = [&](cv::Point at, float power) {
    const double fx = at.x - half, fy = at.y - half;
    float inner = 0;
    for (int k = 0; k < o.moire_inward_samples; ++k) {
      const double t = o.moire_inward_from + (o.moire_inward_to - o.moire_inward_from) * k /
                                                 std::max(1, o.moire_inward_samples - 1);
      const int x = half + static_cast<int>(std::lround(fx * t));
      const int y = half + static_cast<int>(std::lround(fy * t));
      inner = std::max(inner, summed.at<float>(y, x));
    }
    return power > o.moire_isolation * inner;
  };
  // The strongest isolated cell of `pool`, trying its moire_peak_candidates strongest.
  auto strongest_isolated = [&](std::vector<std::pair<float, cv::Point>>& pool) {
    const size_t tried = std::min(pool.size(), static_cast<size_t>(o.moire_peak_candidates));
    std::partial_sort(pool.begin(), pool.begin() + static_cast<long>(tried), pool.end(),
                      [](const auto& a, const auto& b) { return a.first > b.first; });
    for (size_t i = 0; i < tried; ++i)
      if (isolated(pool[i].second, pool[i].first)) return std::optional(pool[i]);
    return std::optional<std::pair<float, cv::Point>>();
  };
  const auto first = strongest_isolated(cells);
  if (!first) return {};
  // The lattice's other direction: about the same radius (the same pitch), turned far enough
  // not to be the first peak's own spread or harmonic. Looked for among all the cells, as a
  // strong peak spread by a tilt can fill the first candidates alone.
  const cv::Point centre(half, half);
  std::vector<std::pair<float, cv::Point>> across;
  for (const auto& cell : cells)
    if (other_lattice_direction(first->second - centre, cell.second - centre, o))
      across.push_back(cell);
  const auto other = strongest_isolated(across);
  if (!other) return {.at = first->second};  // seen, not counted
  return {std::sqrt(first->first / floor), first->second, other->second};
}

}  // namespace kyc::image
