#include "adapters/image/recapture.h"

#include "adapters/image/lighting.h"

#include <algorithm>
#include <array>
#include <cmath>
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

// Moire and pixel grids are sharp periodic peaks away from the centre of the spectrum. Peaks
// on the JPEG 8-pixel block grid are the codec's, not the screen's, and are skipped.
double moire_strength(const cv::Mat& grey, const ImageOptions& o) {
  int n = std::min({o.spectrum_patch, grey.cols, grey.rows});
  if (n < 64) return 0;
  cv::Rect centre((grey.cols - n) / 2, (grey.rows - n) / 2, n, n);
  cv::Mat patch;
  grey(centre).convertTo(patch, CV_32F);
  patch -= cv::mean(patch)[0];
  cv::Mat window;
  cv::createHanningWindow(window, patch.size(), CV_32F);
  patch = patch.mul(window);
  cv::Mat spectrum;
  cv::dft(patch, spectrum, cv::DFT_COMPLEX_OUTPUT);
  std::vector<float> band;
  std::vector<std::pair<float, cv::Point>> cells;
  int half = n / 2;
  for (int v = 0; v < n; ++v)
    for (int u = 0; u <= half; ++u) {
      int fu = u, fv = v > half ? v - n : v;  // frequency coordinates
      double r = std::hypot(fu, fv) / half;
      if (r < 0.4 || r > o.spectrum_band_high) continue;  // content and print patterns are low
      // The JPEG 8-pixel block grid puts its harmonics at multiples of n/8; the window spreads
      // each over the cells beside it.
      auto near_codec = [&](int f) {
        int off = ((f * 8) % n + n) % n;
        return std::min(off, n - off) <= 8 * o.codec_guard_cells;
      };
      if (near_codec(fu) || near_codec(fv)) continue;
      cv::Vec2f c = spectrum.at<cv::Vec2f>(v, u);
      float mag = std::hypot(c[0], c[1]);
      band.push_back(mag);
      cells.push_back({mag, {fu, fv}});
    }
  if (band.empty()) return 0;
  std::vector<float> sorted = band;
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<long>(sorted.size() / 2),
                   sorted.end());
  float median = std::max(sorted[sorted.size() / 2], 1e-3f);
  // The strongest peak against the band's median: a screen's pixel grid stands far out.
  float strongest = 0;
  for (auto& [mag, at] : cells) strongest = std::max(strongest, mag);
  return strongest / median;
}

// Status and navigation bars: rows at the top or bottom edge that are one flat colour from
// side to side but for a few icons or letters. Camera photos have sensor noise in every row.
double ui_bars(const cv::Mat& bgr, const ImageOptions& o) {
  cv::Mat grey;
  cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
  auto flat_row = [&](int y) {
    const uint8_t* row = grey.ptr<uint8_t>(y);
    std::vector<uint8_t> v(row, row + grey.cols);
    std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
    int median = v[v.size() / 2], near = 0;
    for (int x = 0; x < grey.cols; ++x) near += std::abs(row[x] - median) <= 1;
    return near >= o.ui_bar_flat_share * grey.cols;
  };
  auto flat_run = [&](bool from_top) {
    int run = 0;
    for (int i = 0; i < grey.rows * o.ui_bar_search_share; ++i) {
      if (!flat_row(from_top ? i : grey.rows - 1 - i)) break;
      ++run;
    }
    return static_cast<double>(run) / grey.rows;
  };
  double share = std::max(flat_run(true), flat_run(false));
  return std::clamp(share / o.ui_bar_full_share, 0.0, 1.0);
}

}  // namespace

ScreenCues screen_cues(const cv::Mat& decoded_grey, const cv::Mat& working_bgr, uint32_t width,
                       uint32_t height, const ExifSummary& exif, const ImageOptions& o) {
  ScreenCues c;
  // Peak-to-median ratios of camera photos and prints stay far below a screen's pixel grid;
  // the cue rises on a log scale between the two options.
  double ratio = moire_strength(decoded_grey, o);
  c.moire = std::clamp(std::log(std::max(ratio, 1.0) / o.moire_ratio_low) /
                           std::log(o.moire_ratio_high / o.moire_ratio_low),
                       0.0, 1.0);
  c.ui_bars = ui_bars(working_bgr, o);
  c.screen_size = is_screen_size(width, height);
  c.camera_exif = exif.camera();
  double s = o.screen_weight_moire * c.moire + o.screen_weight_bars * c.ui_bars +
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
  // print in one tint has almost none, however strong the tint; a card's inks vary.
  // On the document as if well exposed (its 99th luma percentile brought to 255): a dark
  // photo has small colour and luma spreads without being a copy.
  std::vector<uint8_t> luma(grey.begin<uint8_t>(), grey.end<uint8_t>());
  std::nth_element(luma.begin(), luma.begin() + static_cast<long>(luma.size() * 99 / 100),
                   luma.end());
  double gain = luma.empty() ? 1.0 : 255.0 / std::max<double>(32, luma[luma.size() * 99 / 100]);
  cv::Mat f;
  document.convertTo(f, CV_32FC3, gain);
  std::vector<cv::Mat> bgr;
  cv::split(f, bgr);
  cv::Mat rg = bgr[2] - bgr[1], yb = 0.5 * (bgr[2] + bgr[1]) - bgr[0];
  cv::Scalar m1, s1, m2, s2;
  cv::meanStdDev(rg, m1, s1);
  cv::meanStdDev(yb, m2, s2);
  c.saturation = std::sqrt(s1[0] * s1[0] + s2[0] * s2[0]);
  c.contrast = gain * (luma_percentile(grey, 0.98) - luma_percentile(grey, 0.02));
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
