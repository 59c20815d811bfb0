#include "adapters/image/light_field.h"

#include <algorithm>
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

// Where the document shows its paper: pixels of the paper's chromaticity, the paper's being
// that of its brightest quarter (in the light, and mostly paper). Near black, chromaticity is
// noise and black ink is as colourless as white paper: pixels under a fraction of the paper's
// level are ink, not paper in a shadow (a shadow leaves a quarter of the light or more).
cv::Mat paper_mask(const cv::Mat& bgr, const cv::Mat& grey, const ImageOptions& o) {
  std::vector<cv::Mat> channels = chromaticity(bgr);
  double paper_level = luma_percentile(grey, 0.75);
  cv::Mat bright = grey >= paper_level;
  cv::Mat distance = cv::Mat::zeros(grey.size(), CV_32F);
  for (const cv::Mat& channel : channels) {
    cv::Mat level;
    channel.convertTo(level, CV_8U, 255.0);
    float paper = static_cast<float>(masked_percentile(level, bright, 0.5) / 255.0);
    distance += cv::abs(channel - paper);
  }
  return (distance <= o.paper_chroma_tolerance) & (grey >= o.paper_min_light * paper_level);
}

}  // namespace

// What the camera records is the light falling on a spot times what the document prints
// there (its albedo). Print and design change within millimetres, the light only slowly (but
// for a shadow's edge). So the light is read on the paper alone, the pixels of the paper's
// chromaticity (a shadow darkens the paper without changing its colour; a portrait or a
// coloured panel has another), as the brightest paper level within a window wider than print
// strokes. Windows with little paper in them (inside a portrait) are left out, not guessed.
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
  int w = std::max(3, static_cast<int>(o.light_field_window_share *
                                       std::max(small.cols, small.rows)) | 1);
  cv::Mat window = cv::getStructuringElement(cv::MORPH_RECT, {w, w});
  cv::Mat paper = paper_mask(small, small_grey, o);
  cv::Mat on_paper = cv::Mat::zeros(small_grey.size(), CV_8U), light, seen;
  small_grey.copyTo(on_paper, paper);
  cv::dilate(on_paper, light, window, {-1, -1}, 1, cv::BORDER_REPLICATE);
  // A window sees the paper when a fair share of it is paper: a few stray pixels of the
  // paper's colour inside a portrait are not its paper.
  cv::blur(paper, seen, {w, w}, {-1, -1}, cv::BORDER_REPLICATE);
  seen = seen >= 255 * o.paper_min_share;
  // Smoothed over the windows that saw paper only: an unseen one would pull its
  // neighbours towards black.
  cv::Mat light_f, seen_f;
  light.convertTo(light_f, CV_32F);
  seen.convertTo(seen_f, CV_32F, 1.0 / 255);
  light_f = light_f.mul(seen_f);
  cv::blur(light_f, light_f, {w, w}, {-1, -1}, cv::BORDER_REPLICATE);
  cv::blur(seen_f, seen_f, {w, w}, {-1, -1}, cv::BORDER_REPLICATE);
  cv::divide(light_f, cv::max(seen_f, 1e-3), light_f);
  light_f.convertTo(light, CV_8U);
  double dim = masked_percentile(light, seen, o.shadow_dim_share);
  double lit = masked_percentile(light, seen, 1.0 - o.shadow_dim_share);
  l.shadow = lit > 0 ? std::clamp(1.0 - dim / lit, 0.0, 1.0) : 0.0;
  if (o.debug_pictures) {
    light.setTo(0, seen == 0);
    cv::resize(light, l.field, grey.size(), 0, 0, cv::INTER_LINEAR);
  }
  return l;
}

}  // namespace kyc::image
