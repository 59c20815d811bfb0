#include "adapters/image/light_field.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "adapters/image/lighting.h"

namespace kyc::image {

namespace {

// Chromaticity: a colour's share of each channel. Light falling more or less strongly on the
// same paper scales its channels together and leaves this unchanged; another ink or a
// portrait changes it.
std::vector<cv::Mat> chromaticity(const cv::Mat& bgr) {
  cv::Mat f, sum;
  bgr.convertTo(f, CV_32FC3);
  cv::transform(f, sum, cv::Matx13f(1, 1, 1));
  sum = cv::max(sum, 1.0f);
  std::vector<cv::Mat> channels;
  cv::split(f, channels);
  for (auto& c : channels) cv::divide(c, sum, c);
  return channels;
}

// The light each pixel of paper receives, relative to how its own colour is lit where it is
// brightest: 1 in the light, under 1 in a shade (0 where no paper is). Documents are printed
// in many colours (a colour gradient, a tinted MRZ band, a pale portrait background), and a
// shadow dims each of them without changing its chromaticity. So every colour that covers a
// fair share of the document is a paper of its own, measured against its own lit level: a
// darker panel of another hue is not a shade of the lightest one. Black ink is as colourless
// as white paper: a pixel under a fifth of its colour's lit level is ink, not paper in a
// shadow (a shadow leaves a colour a fifth of its light or more). That is of its own colour's
// light, not of the brightest colour's: a deep shadow over a mid-tone panel leaves it darker
// than a fifth of the white band's level, and is still a shadow. Near black, chromaticity is
// noise: no colour is read there.
struct PaperLight {
  cv::Mat relative;  // CV_32F, relative light on paper pixels, 0 elsewhere
  cv::Mat paper;     // 8-bit, 255 where paper
};

PaperLight paper_light(const cv::Mat& bgr, const cv::Mat& grey, const ImageOptions& o) {
  std::vector<cv::Mat> c = chromaticity(bgr);
  const double bright = luma_percentile(grey, 0.75);
  const float min_level = static_cast<float>(o.paper_min_level * bright);
  // The squares are laid so that neutral (a third in each channel) is a square's centre, not a
  // corner of four: white and grey paper, the commonest, then fall in one square, and a shadow
  // lit by a slightly bluer ambient light (a shift of 0.01-0.015) stays in it instead of
  // crossing into a square of its own, lit at its own dim level.
  const double bin = o.paper_chroma_bin;
  const int neutral = static_cast<int>(std::ceil(1.0 / 3 / bin - 0.5));  // squares below it
  const int side = static_cast<int>(1.0 / bin) + 2;                      // shares run from 0 to 1
  auto square = [&](float share) {
    return std::clamp(static_cast<int>(std::floor((share - 1.0 / 3) / bin + 0.5)) + neutral, 0,
                      side - 1);
  };
  // Pass 1: the pixels of each chromaticity square (blue's share follows from the other two).
  std::vector<int> bin_of(grey.total(), -1);
  std::vector<std::vector<float>> levels(static_cast<size_t>(side * side));
  size_t candidates = 0;
  for (int y = 0, i = 0; y < grey.rows; ++y)
    for (int x = 0; x < grey.cols; ++x, ++i) {
      const float level = grey.at<uchar>(y, x);
      if (level < min_level) continue;
      bin_of[i] = square(c[1].at<float>(y, x)) * side + square(c[2].at<float>(y, x));
      levels[bin_of[i]].push_back(level);
      ++candidates;
    }
  // Each colour common enough to be paper, lit at its paper_lit_share percentile.
  std::vector<float> lit(levels.size(), 0.f);
  for (size_t b = 0; b < levels.size(); ++b) {
    auto& v = levels[b];
    if (v.empty() || static_cast<double>(v.size()) < o.paper_min_bin_share * candidates) continue;
    auto at = v.begin() + static_cast<long>(o.paper_lit_share * static_cast<double>(v.size() - 1));
    std::nth_element(v.begin(), at, v.end());
    lit[b] = *at;
  }
  // Pass 2: each paper pixel against its colour's lit level (a little over 1 where a spot is
  // brighter than that percentile; capped so one bright speck does not set the light).
  PaperLight out{cv::Mat::zeros(grey.size(), CV_32F), cv::Mat::zeros(grey.size(), CV_8U)};
  for (int y = 0, i = 0; y < grey.rows; ++y)
    for (int x = 0; x < grey.cols; ++x, ++i) {
      if (bin_of[i] < 0 || lit[bin_of[i]] <= 0) continue;
      const float relative = grey.at<uchar>(y, x) / lit[bin_of[i]];
      if (relative < o.paper_min_light) continue;  // ink of the paper's hue
      out.relative.at<float>(y, x) = std::min(1.2f, relative);
      out.paper.at<uchar>(y, x) = 255;
    }
  return out;
}

}  // namespace

// What the camera records is the light falling on a spot times what the document prints
// there (its albedo). Print and design change within millimetres, the light only slowly (but
// for a shadow's edge). So the light is read on the paper alone, each colour of paper against
// its own lit level (a shadow darkens a colour without changing its chromaticity; a portrait
// or a coloured panel is another colour), as the brightest relative level within a window
// wider than print strokes. Windows with little paper in them (inside a portrait) are left
// out, not guessed.
// It is taken on a small copy (the light varies slowly) and smoothed; the shadow is how much
// darker the dimly lit part of the document is than the brightly lit part, both taken as
// percentiles so that no single spot decides.
LightField light_field_of(const cv::Mat& bgr, const cv::Mat& grey, const ImageOptions& o) {
  LightField l;
  double k = 1.0 / o.light_field_reduction;
  cv::Mat small, small_grey;
  cv::resize(bgr, small, {}, k, k, cv::INTER_AREA);
  cv::resize(grey, small_grey, {}, k, k, cv::INTER_AREA);
  if (small.empty()) return l;
  int w = std::max(
      3, static_cast<int>(o.light_field_window_share * std::max(small.cols, small.rows)) | 1);
  cv::Mat window = cv::getStructuringElement(cv::MORPH_RECT, {w, w});
  PaperLight paper_lit = paper_light(small, small_grey, o);
  const cv::Mat& paper = paper_lit.paper;
  cv::Mat light, seen;
  cv::dilate(paper_lit.relative, light, window, {-1, -1}, 1, cv::BORDER_REPLICATE);
  // A window sees the paper when a fair share of it is paper: a few stray pixels of the
  // paper's colour inside a portrait are not its paper.
  cv::blur(paper, seen, {w, w}, {-1, -1}, cv::BORDER_REPLICATE);
  seen = seen >= 255 * o.paper_min_share;
  // Smoothed over the windows that saw paper only: an unseen one would pull its
  // neighbours towards black.
  cv::Mat light_f, seen_f;
  seen.convertTo(seen_f, CV_32F, 1.0 / 255);
  light_f = light.mul(seen_f);
  cv::blur(light_f, light_f, {w, w}, {-1, -1}, cv::BORDER_REPLICATE);
  cv::blur(seen_f, seen_f, {w, w}, {-1, -1}, cv::BORDER_REPLICATE);
  cv::divide(light_f, cv::max(seen_f, 1e-3), light_f);
  // 8-bit for the percentiles and the picture: 1.2 (the cap) is 255.
  light_f.convertTo(light, CV_8U, 255 / 1.2);
  const LumaHistogram field(light, seen);
  double dim = field.at(o.shadow_dim_share);
  double lit = field.at(1.0 - o.shadow_dim_share);
  l.shadow = lit > 0 ? std::clamp(1.0 - dim / lit, 0.0, 1.0) : 0.0;
  if (o.debug_pictures) {
    light.setTo(0, seen == 0);
    cv::resize(light, l.field, grey.size(), 0, 0, cv::INTER_LINEAR);
  }
  return l;
}

}  // namespace kyc::image
