#include "adapters/image/recapture.h"

#include "adapters/image/lighting.h"
#include "adapters/image/spectral_peak.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <opencv2/imgproc.hpp>
#include <utility>
#include <vector>

namespace kyc::image {

namespace {

// Phone and desktop screen resolutions (either orientation): a camera photo almost never has
// exactly one of these sizes, a screenshot always does.
constexpr std::array<std::pair<uint32_t, uint32_t>, 24> kScreens = {{
    {1080, 1920}, {1080, 2340}, {1080, 2400}, {1170, 2532}, {1179, 2556}, {1284, 2778},
    {1290, 2796}, {1125, 2436}, {1242, 2688}, {828, 1792},  {750, 1334},  {1440, 3200},
    {1440, 2560}, {720, 1280},  {1920, 1080}, {2560, 1440}, {1366, 768},  {1536, 864},
    {1440, 900},  {1280, 800},  {1680, 1050}, {3840, 2160}, {2880, 1800}, {1280, 720},
}};

bool is_screen_size(uint32_t w, uint32_t h) {
  for (auto [a, b] : kScreens)
    if ((w == a && h == b) || (w == b && h == a)) return true;
  return false;
}

// log(1 + |F|), stretched to 8 bits, the zero frequency moved to the centre.
cv::Mat log_spectrum(const cv::Mat& complex) {
  cv::Mat planes[2], magnitude;
  cv::split(complex, planes);
  cv::magnitude(planes[0], planes[1], magnitude);
  magnitude += 1;
  cv::log(magnitude, magnitude);
  // A circular shift by half the size: the negative frequencies, stored past the middle,
  // come before the zero one.
  cv::Mat tiled;
  cv::repeat(magnitude, 2, 2, tiled);
  cv::Mat centred =
      tiled(cv::Rect(magnitude.cols - magnitude.cols / 2, magnitude.rows - magnitude.rows / 2,
                     magnitude.cols, magnitude.rows));
  cv::Mat picture;
  cv::normalize(centred, picture, 0, 255, cv::NORM_MINMAX, CV_8U);
  return picture;
}

// Moire and pixel grids are periodic peaks away from the centre of the spectrum, in two
// directions (spectral_peak.h). The patch is centred on `centre` (decoded px), moved inside the
// photo. `picture` gets the patch's log magnitude spectrum, centred, for a person to look at (when
// the options ask for pictures). Only the patch of the BGR photo is turned to luma: the whole
// decoded photo would cost a millisecond and a half more.
double moire_strength(const cv::Mat& bgr, cv::Point2f centre, const ImageOptions& o,
                      cv::Mat& picture) {
  int n = std::min({o.spectrum_patch, bgr.cols, bgr.rows});
  if (n < 64) return 0;
  const int x = std::clamp(static_cast<int>(centre.x) - n / 2, 0, bgr.cols - n);
  const int y = std::clamp(static_cast<int>(centre.y) - n / 2, 0, bgr.rows - n);
  cv::Mat grey, patch;
  cv::cvtColor(bgr(cv::Rect(x, y, n, n)), grey, cv::COLOR_BGR2GRAY);
  grey.convertTo(patch, CV_32F);
  patch -= cv::mean(patch)[0];
  // The window depends only on the patch's size, which is nearly always spectrum_patch: made
  // once per thread and size, not per photo (its cosines cost a millisecond).
  thread_local cv::Mat window;
  if (window.size() != patch.size()) cv::createHanningWindow(window, patch.size(), CV_32F);
  patch = patch.mul(window);
  cv::Mat spectrum;
  cv::dft(patch, spectrum, cv::DFT_COMPLEX_OUTPUT);
  const SpectralPeak peak = grid_peak(spectrum, o);
  if (o.debug_pictures) {
    // The peak the cue counted and its lattice partner, ringed white on black, for a person
    // to find them; an isolated peak without a partner (a pattern printed in one direction)
    // ringed in red: seen, not counted.
    cv::cvtColor(log_spectrum(spectrum), picture, cv::COLOR_GRAY2BGR);
    const cv::Scalar ring = peak.ratio > 0 ? cv::Scalar(255, 255, 255) : cv::Scalar(0, 0, 255);
    for (cv::Point at : {peak.at, peak.other}) {
      if (at.x < 0) continue;
      cv::circle(picture, at, 9, {0, 0, 0}, 3);
      cv::circle(picture, at, 9, ring, 1);
    }
  }
  return peak.ratio;
}

// Status and navigation bars: rows (or columns) along an edge of the frame that are one flat
// colour from side to side but for a few icons or letters. A phone held upright puts them at
// the top and bottom, turned sideways at the left or right. Camera photos have sensor noise
// in every row, so only clipping makes a camera's edge flat: a flat white edge is also a
// scan's margin or a blown-out background. A flat edge of another level that ends in one
// step, as a bar drawn across the screen does, is drawn; one that gives way gradually is a
// background (a render on black) meeting a tilted document.
struct EdgeRun {
  double share = 0;  // of the frame's side
  int level = 0;     // the bar's median level
  bool ends_in_a_step = false;
};

EdgeRun flat_edge_run(const cv::Mat& grey, bool from_start, const ImageOptions& o) {
  EdgeRun run;
  int rows = 0;
  for (int i = 0; i < grey.rows * o.ui_bar_search_share; ++i) {
    const int y = from_start ? i : grey.rows - 1 - i;
    const uint8_t* row = grey.ptr<uint8_t>(y);
    // From a histogram: a flat edge runs on for hundreds of rows (a scan's margin, a plain
    // backdrop), and copying and partly sorting each one cost milliseconds.
    int median = static_cast<int>(LumaHistogram(grey.row(y)).at(0.5)), near = 0;
    for (int x = 0; x < grey.cols; ++x) near += std::abs(row[x] - median) <= 1;
    // A bar is one colour: a row of another flat level (a scan's margin past a thin border
    // line) ends it as print does.
    bool same_bar = rows == 0 || std::abs(median - run.level) <= 2;
    if (near < o.ui_bar_flat_share * grey.cols || !same_bar) {
      // The bar's level against the row past it: content, not the bar's colour, fills it.
      int same = 0;
      for (int x = 0; x < grey.cols; ++x) same += std::abs(row[x] - run.level) <= 1;
      run.ends_in_a_step = same < o.ui_bar_step_share * grey.cols;
      break;
    }
    if (rows++ == 0) run.level = median;
  }
  run.share = static_cast<double>(rows) / grey.rows;
  return run;
}

struct Bars {
  double any = 0;    // image.ui_bars
  double drawn = 0;  // the same for bars that clipping cannot explain
};

Bars ui_bars(const cv::Mat& grey, const ImageOptions& o) {
  cv::Mat turned;
  cv::transpose(grey, turned);
  Bars bars;
  const std::array<const cv::Mat*, 2> views{&grey, &turned};
  for (const cv::Mat* m : views)
    for (bool from_start : {true, false}) {
      EdgeRun run = flat_edge_run(*m, from_start, o);
      double cue = std::clamp(run.share / o.ui_bar_full_share, 0.0, 1.0);
      bars.any = std::max(bars.any, cue);
      if (run.level < o.ui_bar_white_level && run.ends_in_a_step)
        bars.drawn = std::max(bars.drawn, cue);
    }
  return bars;
}

// sqrt(var(r - g) + var((r + g) / 2 - b)) over an 8-bit BGR image, where r, g, b are its
// channels each multiplied by its `gain`. In one pass, as integers: the sums of each channel,
// of its squares and of the products of two, all exact, give every variance and covariance,
// and the gains are applied to those (bench/README.md, "Small passes over the measuring copy").
double colour_spread(const cv::Mat& bgr, const std::array<double, 3>& gain) {
  std::array<int64_t, 3> sum{}, square{};
  int64_t rg = 0, rb = 0, gb = 0;
  for (int y = 0; y < bgr.rows; ++y) {
    const uint8_t* p = bgr.ptr<uint8_t>(y);
    for (int x = 0; x < bgr.cols; ++x, p += 3) {
      const int b = p[0], g = p[1], r = p[2];
      sum[0] += b, sum[1] += g, sum[2] += r;
      square[0] += b * b, square[1] += g * g, square[2] += r * r;
      rg += r * g, rb += r * b, gb += g * b;
    }
  }
  const double n = std::max<double>(1, static_cast<double>(bgr.total()));
  auto mean = [n](int64_t s) { return static_cast<double>(s) / n; };
  // The covariance of channels i and j, both scaled by their gains (B 0, G 1, R 2).
  auto cov = [&](int i, int j, int64_t products) {
    return gain[i] * gain[j] * (mean(products) - mean(sum[i]) * mean(sum[j]));
  };
  const double vb = cov(0, 0, square[0]), vg = cov(1, 1, square[1]), vr = cov(2, 2, square[2]);
  const double crg = cov(2, 1, rg), crb = cov(2, 0, rb), cgb = cov(1, 0, gb);
  const double red_green = vr + vg - 2 * crg;
  const double yellow_blue = 0.25 * (vr + vg) + vb + 0.5 * crg - crb - cgb;
  return std::sqrt(std::max(red_green, 0.0) + std::max(yellow_blue, 0.0));
}

}  // namespace

ScreenCues screen_cues(const cv::Mat& decoded, cv::Point2f document_centre,
                       const cv::Mat& working_grey, uint32_t width, uint32_t height,
                       const ExifSummary& exif, const ImageOptions& o) {
  ScreenCues c;
  // Peak-to-median ratios of camera photos and prints stay far below a screen's pixel grid;
  // the cue rises on a log scale between the two options.
  double ratio = moire_strength(decoded, document_centre, o, c.spectrum);
  c.moire = std::clamp(std::log(std::max(ratio, 1.0) / o.moire_ratio_low) /
                           std::log(o.moire_ratio_high / o.moire_ratio_low),
                       0.0, 1.0);
  Bars bars = ui_bars(working_grey, o);
  c.ui_bars = bars.any;
  c.screen_size = is_screen_size(width, height);
  c.camera_exif = exif.camera();
  double s = o.screen_weight_moire * c.moire +
             std::max(o.screen_weight_bars * c.ui_bars, o.screen_weight_drawn_bars * bars.drawn) +
             (c.screen_size ? o.screen_weight_size : 0) +
             (c.camera_exif ? 0 : o.screen_weight_no_exif);
  c.score = std::clamp(s, 0.0, 1.0);
  return c;
}

CopyCues copy_cues(const cv::Mat& document, const ImageOptions& o) {
  CopyCues c;
  cv::Mat grey;
  cv::cvtColor(document, grey, cv::COLOR_BGR2GRAY);
  // Colour spread (the deviation part of Hasler and Suesstrunk's colourfulness): a copy or a
  // print in one tint has almost none, however strong the tint; a card's inks vary. Read on
  // the document as if well exposed and white balanced on its paper, each channel's 99th
  // percentile brought to 255 (von Kries): a dark photo has small colour and luma spreads
  // without being a copy, and a light's tint multiplies each channel, so a grey copy under a
  // warm lamp is tinted in proportion to its luma, its toner and paper as far apart in colour
  // as in luma. Balanced, it is grey again (docs/image-measures.md, "Screen and copy cues").
  std::vector<cv::Mat> channels;
  cv::split(document, channels);
  std::array<double, 3> gain{};
  for (int ch = 0; ch < 3; ++ch)
    gain[ch] = 255.0 / std::max(32.0, LumaHistogram(channels[ch]).at(0.99));
  c.saturation = colour_spread(document, gain);
  if (o.debug_pictures) cv::multiply(document, cv::Scalar(gain[0], gain[1], gain[2]), c.balanced);
  const LumaHistogram levels(grey);
  const double exposure_gain = 255.0 / std::max<double>(32, levels.at(0.99));
  c.contrast = exposure_gain * (levels.at(0.98) - levels.at(0.02));
  // Grain: what a small median filter removes, in areas without print edges.
  cv::Mat smooth, diff, edges;
  cv::medianBlur(grey, smooth, 3);
  cv::absdiff(grey, smooth, diff);
  cv::Canny(smooth, edges, 50, 150);
  cv::dilate(edges, edges, cv::Mat(), {-1, -1}, 2);
  c.texture = std::clamp(cv::mean(diff, edges == 0)[0] / o.copy_grain_full, 0.0, 1.0);
  double grey_cue = std::clamp(
      (o.copy_colour_high - c.saturation) / (o.copy_colour_high - o.copy_colour_low), 0.0, 1.0);
  double flat_cue = std::clamp(
      (o.copy_contrast_high - c.contrast) / (o.copy_contrast_high - o.copy_contrast_low), 0.0, 1.0);
  c.score = std::clamp(o.copy_weight_grey * grey_cue + o.copy_weight_flat * flat_cue +
                           o.copy_weight_texture * c.texture,
                       0.0, 1.0);
  return c;
}

}  // namespace kyc::image
