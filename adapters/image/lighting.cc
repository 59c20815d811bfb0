#include "adapters/image/lighting.h"

#include <array>
#include <cstdint>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "adapters/image/glare.h"
#include "adapters/image/light_field.h"

namespace kyc::image {

LumaHistogram::LumaHistogram(const cv::Mat& grey, const cv::Mat& mask) {
  // Four tables, one per pixel position mod 4: a run of one level (paper, a flat backdrop)
  // would otherwise make every increment wait for the last one's store. bench/README.md,
  // "Small passes over the measuring copy".
  std::array<std::array<uint32_t, 256>, 4> part{};
  long counted = 0;
  for (int y = 0; y < grey.rows; ++y) {
    const uint8_t* g = grey.ptr<uint8_t>(y);
    if (mask.empty()) {
      int x = 0;
      for (; x + 4 <= grey.cols; x += 4) {
        ++part[0][g[x]];
        ++part[1][g[x + 1]];
        ++part[2][g[x + 2]];
        ++part[3][g[x + 3]];
      }
      for (; x < grey.cols; ++x) ++part[0][g[x]];
      counted += grey.cols;
    } else {
      const uint8_t* m = mask.ptr<uint8_t>(y);
      for (int x = 0; x < grey.cols; ++x) {
        const bool in = m[x] != 0;
        part[x & 3][g[x]] += in;
        counted += in;
      }
    }
  }
  for (int v = 0; v < 256; ++v)
    counts_[v] = long{part[0][v]} + part[1][v] + part[2][v] + part[3][v];
  total_ = counted;
}

// From the counts: no copy and no sort of the pixels.
double LumaHistogram::at(double share) const {
  if (total_ == 0) return -1;
  long target = static_cast<long>(share * static_cast<double>(total_)), seen = 0;
  for (int v = 0; v < 256; ++v)
    if ((seen += counts_[v]) > target) return v;
  return 255;
}

double luma_percentile(const cv::Mat& grey, double share) {
  return grey.empty() ? 255 : LumaHistogram(grey).at(share);
}

double masked_percentile(const cv::Mat& grey, const cv::Mat& mask, double share) {
  return LumaHistogram(grey, mask).at(share);
}

cv::Mat stretched_luma(const cv::Mat& grey, int type) {
  cv::Mat out;
  if (grey.empty()) return out;
  const LumaHistogram levels(grey);
  const double lo = levels.at(0.01), hi = levels.at(0.99);
  if (hi - lo >= 16) grey.convertTo(out, type, 255.0 / (hi - lo), -lo * 255.0 / (hi - lo));
  return out;
}

// Exposure is judged by what the camera failed to record, not by mean luma (a photocopy on
// white paper is bright and correctly exposed; a dark card is dark): the share of the
// document clipped in any channel, and where its ink (darkest 0.5%) and its paper (brightest
// 0.5%) landed. Over-exposure lifts the ink as it clips the paper and the light design; a
// white page clips as much but keeps its ink dark. Under-exposure leaves even the paper dark,
// where a dark card keeps its light print. The policy weighs these; the crushed mask (every
// channel near black) is drawn for --debug beside the clipped one.
//
// A pixel is clipped as soon as one channel is: a sensor channel at its ceiling has lost the
// light's ratio between the channels and any texture in it, which is what over-exposure takes.
// Counting only pixels white in every channel missed it on coloured designs: a saturated
// print keeps one channel under the ceiling however bright the light, so an over-exposed
// colour card measured 9-16% clipped in every channel while 86-94% of it had a channel
// clipped (tuning photos); a correctly exposed one has none. Glare is another matter: a
// specular highlight is the lamp's own white, clipped in every channel, and is looked for
// there only.
Lighting measure_lighting(const cv::Mat& bgr, const ImageOptions& o) {
  Lighting l;
  cv::Mat grey;
  cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
  l.brightness = cv::mean(grey)[0];
  std::vector<cv::Mat> channels;
  cv::split(bgr, channels);
  const cv::Mat darkest = cv::min(cv::min(channels[0], channels[1]), channels[2]);
  const cv::Mat brightest = cv::max(cv::max(channels[0], channels[1]), channels[2]);
  const cv::Mat white = darkest >= o.clip_level;  // every channel clipped
  l.masks.clipped = brightest >= o.clip_level;
  if (o.debug_pictures) l.masks.crushed = brightest <= o.crush_level;
  double area = std::max<double>(1, static_cast<double>(grey.total()));
  l.clipped = cv::countNonZero(l.masks.clipped) / area;
  const LumaHistogram levels(grey);  // the document at measuring size: never empty
  l.black_level = levels.at(o.ink_share);
  l.white_level = levels.at(1.0 - o.ink_share);
  Glare glare = find_glare(grey, white, o);
  l.glare = glare.share;
  l.masks.glare = glare.mask;
  LightField light = light_field_of(bgr, grey, o);
  l.shadow = light.shadow;
  l.masks.light = light.field;
  return l;
}

}  // namespace kyc::image
