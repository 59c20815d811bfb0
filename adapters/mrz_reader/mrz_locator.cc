#include "adapters/mrz_reader/mrz_locator.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <opencv2/imgproc.hpp>

namespace kyc::text {

namespace {

// A long thin blob of joined characters: one text line, or several lines run together.
struct Band {
  std::vector<cv::Point> contour;
  cv::Point2f centre;
  cv::Point2f direction;  // unit vector along the line, pointing right (x >= 0)
  cv::Point2f normal;     // unit vector across the line, pointing down
  double length = 0;
  double thickness = 0;
  double fill = 0;  // contour area / rectangle area: a line of text joins into a solid bar
};

double dot(cv::Point2f a, cv::Point2f b) { return a.x * b.x + a.y * b.y; }

Band to_band(std::vector<cv::Point> contour) {
  Band band;
  const cv::RotatedRect rect = cv::minAreaRect(contour);
  cv::Point2f corners[4];
  rect.points(corners);
  cv::Point2f a = corners[1] - corners[0];
  cv::Point2f b = corners[2] - corners[1];
  const double la = std::hypot(a.x, a.y);
  const double lb = std::hypot(b.x, b.y);
  cv::Point2f along = la >= lb ? a : b;
  band.length = std::max(la, lb);
  band.thickness = std::max(1.0, std::min(la, lb));
  const double norm = std::max(1e-6, static_cast<double>(std::hypot(along.x, along.y)));
  along = {static_cast<float>(along.x / norm), static_cast<float>(along.y / norm)};
  if (along.x < 0) along = -along;
  band.direction = along;
  band.normal = {-along.y, along.x};
  if (band.normal.y < 0) band.normal = -band.normal;
  band.centre = rect.center;
  band.fill = cv::contourArea(contour) / std::max(1.0, band.length * band.thickness);
  band.contour = std::move(contour);
  return band;
}

// Dark strokes brought out against any background (blackhat), edges across the writing
// direction (horizontal gradient: characters have many vertical strokes, backgrounds few),
// then the characters of a line joined into one bar by a closing wider than the gap between
// two characters but lower than the gap between two lines. Sizes are in pixels of a
// 1000-pixel working image, where MRZ characters are 10 to 40 pixels tall.
std::vector<Band> find_bands(const cv::Mat& small) {
  const double unit = std::max(small.cols, small.rows) / 1000.0;
  const auto k = [unit](double size) {
    return std::max(1, static_cast<int>(std::lround(size * unit)));
  };

  cv::Mat blackhat;
  cv::morphologyEx(small, blackhat, cv::MORPH_BLACKHAT,
                   cv::getStructuringElement(cv::MORPH_RECT, {k(15), k(15)}));
  cv::Mat gradient;
  cv::Sobel(blackhat, gradient, CV_32F, 1, 0, 3);
  gradient = cv::abs(gradient);
  double max_value = 0;
  cv::minMaxLoc(gradient, nullptr, &max_value);
  gradient.convertTo(gradient, CV_8U, max_value > 0 ? 255.0 / max_value : 1.0);

  cv::Mat joined;
  cv::morphologyEx(gradient, joined, cv::MORPH_CLOSE,
                   cv::getStructuringElement(cv::MORPH_RECT, {k(25), k(3)}));
  cv::Mat mask;
  cv::threshold(joined, mask, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  // Thin rims and specks go, and so do vertical strokes (a card's edge, a frame) that would
  // otherwise weld to the end of a line; then gaps left inside a line (a filler run) close.
  cv::morphologyEx(mask, mask, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_RECT, {k(5), k(3)}));
  cv::morphologyEx(mask, mask, cv::MORPH_OPEN,
                   cv::getStructuringElement(cv::MORPH_RECT, {k(21), 1}));
  cv::morphologyEx(mask, mask, cv::MORPH_CLOSE,
                   cv::getStructuringElement(cv::MORPH_RECT, {k(35), 1}));

  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(mask, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
  std::vector<Band> bands;
  const double min_length = 0.2 * small.cols;
  for (auto& contour : contours) {
    Band band = to_band(std::move(contour));
    const bool long_enough = band.length >= min_length;
    const bool thin = band.length >= 8 * band.thickness;
    const bool horizontal = std::abs(band.direction.y) <= std::sin(25 * std::numbers::pi / 180);
    if (long_enough && thin && horizontal) bands.push_back(std::move(band));
  }
  return bands;
}

// Two bands that could be consecutive lines of one MRZ: parallel, of one length and one
// character height, one below the other at the line pitch of OCR-B text, not shifted sideways.
bool consecutive(const Band& upper, const Band& lower) {
  if (dot(upper.direction, lower.direction) < std::cos(5 * std::numbers::pi / 180)) return false;
  if (std::min(upper.length, lower.length) < 0.7 * std::max(upper.length, lower.length))
    return false;
  if (std::min(upper.thickness, lower.thickness) <
      0.75 * std::max(upper.thickness, lower.thickness))
    return false;
  const cv::Point2f offset = lower.centre - upper.centre;
  const double across = dot(offset, upper.normal);
  const double thickness = 0.5 * (upper.thickness + lower.thickness);
  if (across < 1.1 * thickness || across > 3.5 * thickness) return false;
  return std::abs(dot(offset, upper.direction)) <= 0.2 * std::max(upper.length, lower.length);
}

struct Chain {
  std::vector<const Band*> bands;
  double score = 0;
};

double score_chain(const Chain& chain, const cv::Size& size) {
  double length = 0, min_length = 1e9, max_length = 0, fill = 0, bottom = 0;
  for (const Band* band : chain.bands) {
    length += band->length;
    min_length = std::min(min_length, band->length);
    max_length = std::max(max_length, band->length);
    fill += band->fill;
    bottom = std::max(bottom, static_cast<double>(band->centre.y));
  }
  const double n = static_cast<double>(chain.bands.size());
  length /= n;
  fill /= n;
  double score = 0;
  score += 2.0 * std::min(1.0, length / size.width);  // an MRZ spans its document
  score += 1.0 * (min_length / max_length);           // its lines are equally long
  score += 1.0 * fill;                                // and solid once joined
  score += 0.5 * (bottom / size.height);              // and it ends at the bottom
  // It has two or three lines; a third that fits the pattern is the stronger evidence.
  score += chain.bands.size() == 3 ? 2.5 : chain.bands.size() == 2 ? 2.0 : 0.0;
  return score;
}

std::vector<Chain> group_lines(const std::vector<Band>& bands, const cv::Size& size) {
  std::vector<Chain> chains;
  for (size_t i = 0; i < bands.size(); ++i) {
    chains.push_back({{&bands[i]}, 0});
    for (size_t j = 0; j < bands.size(); ++j) {
      if (j == i || !consecutive(bands[i], bands[j])) continue;
      chains.push_back({{&bands[i], &bands[j]}, 0});
      for (size_t l = 0; l < bands.size(); ++l) {
        if (l == i || l == j || !consecutive(bands[j], bands[l])) continue;
        const double first = dot(bands[j].centre - bands[i].centre, bands[i].normal);
        const double second = dot(bands[l].centre - bands[j].centre, bands[j].normal);
        if (std::min(first, second) >= 0.75 * std::max(first, second))
          chains.push_back({{&bands[i], &bands[j], &bands[l]}, 0});
      }
    }
  }
  for (Chain& chain : chains) chain.score = score_chain(chain, size);
  std::stable_sort(chains.begin(), chains.end(),
                   [](const Chain& a, const Chain& b) { return a.score > b.score; });
  return chains;
}

// The chain's bands as one rectangle along their common direction, with a margin of about
// one character around it so the segmenter sees the whole of each line.
MrzZone cut_zone(const Chain& chain, const cv::Mat& grey, double scale) {
  cv::Point2f direction(0, 0);
  double thickness = 0;
  for (const Band* band : chain.bands) {
    direction += band->direction;
    thickness += band->thickness;
  }
  const double norm = std::hypot(direction.x, direction.y);
  direction = {static_cast<float>(direction.x / norm), static_cast<float>(direction.y / norm)};
  const cv::Point2f normal(-direction.y, direction.x);
  thickness /= static_cast<double>(chain.bands.size());

  double min_u = 1e18, max_u = -1e18, min_v = 1e18, max_v = -1e18;
  for (const Band* band : chain.bands) {
    for (const cv::Point& p : band->contour) {
      const cv::Point2f q(static_cast<float>(p.x), static_cast<float>(p.y));
      min_u = std::min(min_u, dot(q, direction));
      max_u = std::max(max_u, dot(q, direction));
      min_v = std::min(min_v, dot(q, normal));
      max_v = std::max(max_v, dot(q, normal));
    }
  }
  const double margin_u = 1.0 * thickness, margin_v = 0.6 * thickness;
  min_u -= margin_u;
  max_u += margin_u;
  min_v -= margin_v;
  max_v += margin_v;

  const double cu = 0.5 * (min_u + max_u), cv_ = 0.5 * (min_v + max_v);
  const cv::Point2f centre_small =
      direction * static_cast<float>(cu) + normal * static_cast<float>(cv_);
  const cv::Point2f centre = centre_small * static_cast<float>(1.0 / scale);
  const cv::Size2f extent(static_cast<float>((max_u - min_u) / scale),
                          static_cast<float>((max_v - min_v) / scale));
  const double angle = std::atan2(direction.y, direction.x) * 180 / std::numbers::pi;

  MrzZone zone;
  zone.box = cv::RotatedRect(centre, extent, static_cast<float>(angle));
  cv::Mat transform = cv::getRotationMatrix2D(centre, angle, 1.0);
  transform.at<double>(0, 2) += extent.width / 2 - centre.x;
  transform.at<double>(1, 2) += extent.height / 2 - centre.y;
  cv::warpAffine(grey, zone.crop, transform,
                 cv::Size(std::max(1, static_cast<int>(std::lround(extent.width))),
                          std::max(1, static_cast<int>(std::lround(extent.height)))),
                 cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  zone.line_bands = static_cast<int>(chain.bands.size());
  zone.char_height = thickness / scale;
  zone.score = chain.score;
  return zone;
}

bool overlaps(const MrzZone& a, const MrzZone& b) {
  std::vector<cv::Point2f> intersection;
  if (cv::rotatedRectangleIntersection(a.box, b.box, intersection) == cv::INTERSECT_NONE)
    return false;
  const double area = cv::contourArea(intersection);
  return area > 0.5 * std::min(a.box.size.area(), b.box.size.area());
}

double angle_of(const Chain& chain) {
  cv::Point2f direction(0, 0);
  for (const Band* band : chain.bands) direction += band->direction;
  return std::atan2(direction.y, direction.x) * 180 / std::numbers::pi;
}

void add_zones(const std::vector<Chain>& chains, const cv::Mat& grey, double scale,
               const MrzReaderOptions& options, std::vector<MrzZone>& zones) {
  for (const Chain& chain : chains) {
    if (static_cast<int>(zones.size()) >= options.max_zones) break;
    MrzZone zone = cut_zone(chain, grey, scale);
    const bool seen = std::any_of(zones.begin(), zones.end(),
                                  [&](const MrzZone& other) { return overlaps(zone, other); });
    if (!seen) zones.push_back(std::move(zone));
  }
}

std::vector<MrzZone> locate_upright(const cv::Mat& grey, const MrzReaderOptions& options,
                                    int quarter_turns) {
  const double scale = static_cast<double>(options.working_size) / std::max(grey.cols, grey.rows);
  cv::Mat small;
  cv::resize(grey, small, {}, scale, scale, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
  const std::vector<Band> bands = find_bands(small);
  const std::vector<Chain> chains = group_lines(bands, small.size());
  std::vector<MrzZone> zones;

  // On a photo taken at a slant the characters of a line step up or down, so the horizontal
  // closing joins them only in pieces. When the best candidate is slanted, the photo is
  // turned level by its angle and searched again; those zones are the complete ones.
  const double skew = chains.empty() ? 0 : angle_of(chains.front());
  if (std::abs(skew) > options.max_unlevelled_skew_deg) {
    const cv::Point2f centre(grey.cols / 2.0f, grey.rows / 2.0f);
    cv::Mat transform = cv::getRotationMatrix2D(centre, skew, 1.0);
    const cv::Rect2f bounds =
        cv::RotatedRect(centre, grey.size(), static_cast<float>(skew)).boundingRect2f();
    transform.at<double>(0, 2) += bounds.width / 2.0 - centre.x;
    transform.at<double>(1, 2) += bounds.height / 2.0 - centre.y;
    cv::Mat level, level_small;
    cv::warpAffine(grey, level, transform, bounds.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    const double level_scale =
        static_cast<double>(options.working_size) / std::max(level.cols, level.rows);
    cv::resize(level, level_small, {}, level_scale, level_scale,
               level_scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
    const std::vector<Band> level_bands = find_bands(level_small);
    add_zones(group_lines(level_bands, level_small.size()), level, level_scale, options, zones);
    // Report the boxes in the photo's own coordinates.
    cv::Mat inverse;
    cv::invertAffineTransform(transform, inverse);
    for (MrzZone& zone : zones) {
      const cv::Point2f c = zone.box.center;
      zone.box.center = cv::Point2f(
          static_cast<float>(inverse.at<double>(0, 0) * c.x + inverse.at<double>(0, 1) * c.y +
                             inverse.at<double>(0, 2)),
          static_cast<float>(inverse.at<double>(1, 0) * c.x + inverse.at<double>(1, 1) * c.y +
                             inverse.at<double>(1, 2)));
      zone.box.angle += static_cast<float>(skew);
    }
  }
  add_zones(chains, grey, scale, options, zones);
  for (MrzZone& zone : zones) zone.quarter_turns = quarter_turns;
  return zones;
}

}  // namespace

std::vector<MrzZone> locate_mrz(const cv::Mat& grey, const MrzReaderOptions& options) {
  CV_Assert(grey.type() == CV_8UC1);
  std::vector<MrzZone> zones = locate_upright(grey, options, 0);
  if (options.try_quarter_turn) {
    cv::Mat turned;
    cv::rotate(grey, turned, cv::ROTATE_90_CLOCKWISE);
    for (MrzZone& zone : locate_upright(turned, options, 1)) zones.push_back(std::move(zone));
    std::stable_sort(zones.begin(), zones.end(),
                     [](const MrzZone& a, const MrzZone& b) { return a.score > b.score; });
    if (static_cast<int>(zones.size()) > options.max_zones) zones.resize(options.max_zones);
  }
  return zones;
}

}  // namespace kyc::text
