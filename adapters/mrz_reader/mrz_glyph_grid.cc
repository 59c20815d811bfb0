#include "adapters/mrz_reader/mrz_glyph_grid.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "adapters/mrz_reader/mrz_line_segmenter.h"

namespace kyc::text {

namespace {

constexpr int kWindowWidth = 20;
constexpr int kWindowHeight = 26;
constexpr int kShift = 2;  // pixels of the fixed-size window
// A glyph whose centre is farther than this (in pitches) from its lattice point is no glyph.
constexpr double kOnLattice = 0.3;

struct Blob {
  int left, right, top, bottom;  // right and bottom one past the end
  double centre() const { return 0.5 * (left + right); }
};

template <typename T>
T median_of(std::vector<T> values) {
  std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
  return values[values.size() / 2];
}

// The glyph centres sit on a lattice, centre = offset + cell * pitch. Each glyph gets its cell
// by the median pitch, then offset and pitch are refitted by least squares over the glyphs
// that sit near their cell; a speck or a stain beside the first or last glyph lies off the
// lattice and does not move the line's ends, which are lattice points, not blob centres.
bool fit_lattice(const std::vector<Blob>& glyphs, GlyphLine& line) {
  const double reference = glyphs[glyphs.size() / 2].centre();
  double offset = reference, pitch = line.pitch;
  std::vector<std::pair<double, double>> fitted;  // (cell, centre) of the glyphs on the lattice
  for (int round = 0; round < 3; ++round) {
    fitted.clear();
    for (const Blob& g : glyphs) {
      const double cell = std::round((g.centre() - offset) / pitch);
      if (std::abs(g.centre() - (offset + cell * pitch)) <= kOnLattice * pitch)
        fitted.emplace_back(cell, g.centre());
    }
    if (fitted.size() < 2) return false;
    double sc = 0, sx = 0, scc = 0, scx = 0;
    for (const auto& [cell, centre] : fitted) {
      sc += cell;
      sx += centre;
      scc += cell * cell;
      scx += cell * centre;
    }
    const double n = static_cast<double>(fitted.size());
    const double spread = n * scc - sc * sc;
    if (spread <= 0) return false;
    pitch = (n * scx - sc * sx) / spread;
    offset = (sx - pitch * sc) / n;
    if (pitch <= 0) return false;
  }
  double first_cell = 1e18, last_cell = -1e18;
  for (const auto& [cell, centre] : fitted) {
    first_cell = std::min(first_cell, cell);
    last_cell = std::max(last_cell, cell);
  }
  line.pitch = pitch;
  line.first_centre = offset + first_cell * pitch;
  line.last_centre = offset + last_cell * pitch;
  line.estimated_count = static_cast<int>(last_cell - first_cell) + 1;
  return line.estimated_count >= 2;
}

}  // namespace

std::optional<GlyphLine> measure_glyphs(const cv::Mat& line_image, double char_height) {
  CV_Assert(line_image.type() == CV_8UC1);
  GlyphLine line;
  // Strokes only: shaded bands and large dark shapes would join the glyphs into one blob.
  line.ink = ink_mask(line_image, char_height);

  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(line.ink, labels, stats, centroids, 8);
  std::vector<Blob> blobs;
  for (int i = 1; i < n; ++i) {
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH);
    const int h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    // A glyph is at least a third of the character height (the filler is the lowest) and at
    // most a little more than it; a blob up to two characters wide may be two glyphs run
    // together, a wider one is no text.
    if (h < 0.3 * char_height || h > 1.6 * char_height || w > 2 * char_height) continue;
    const int x = stats.at<int>(i, cv::CC_STAT_LEFT), y = stats.at<int>(i, cv::CC_STAT_TOP);
    blobs.push_back({x, x + w, y, y + h});
  }
  if (blobs.size() < 2) return std::nullopt;
  std::sort(blobs.begin(), blobs.end(),
            [](const Blob& a, const Blob& b) { return a.centre() < b.centre(); });
  // Pieces of one broken glyph overlap in x: join them.
  std::vector<Blob> glyphs;
  for (const Blob& blob : blobs) {
    if (!glyphs.empty()) {
      Blob& last = glyphs.back();
      const int overlap = std::min(last.right, blob.right) - std::max(last.left, blob.left);
      if (overlap > 0.5 * std::min(last.right - last.left, blob.right - blob.left)) {
        last = {std::min(last.left, blob.left), std::max(last.right, blob.right),
                std::min(last.top, blob.top), std::max(last.bottom, blob.bottom)};
        continue;
      }
    }
    glyphs.push_back(blob);
  }
  if (glyphs.size() < 2) return std::nullopt;

  // Neighbours one cell apart are the common case; gaps (a skipped glyph) and run-together
  // pairs fall outside the window and do not move the median.
  std::vector<double> steps;
  for (size_t i = 1; i < glyphs.size(); ++i) {
    const double step = glyphs[i].centre() - glyphs[i - 1].centre();
    if (step > 0.6 * char_height && step < 1.4 * char_height) steps.push_back(step);
  }
  if (steps.empty()) return std::nullopt;
  line.pitch = median_of(steps);
  // Glyphs run together (blur, low resolution) are cut in as many cells as they are wide, so
  // that a pair at either end does not shift the grid by half a cell.
  std::vector<Blob> cut;
  for (const Blob& g : glyphs) {
    const int n = std::max(1, static_cast<int>(std::lround((g.right - g.left) / line.pitch)));
    for (int k = 0; k < n; ++k) {
      const int left = g.left + (g.right - g.left) * k / n;
      const int right = g.left + (g.right - g.left) * (k + 1) / n;
      cut.push_back({left, right, g.top, g.bottom});
    }
  }
  glyphs = std::move(cut);
  // Every cell of an MRZ is inked (the filler too), so a blob set apart from the line's end by
  // a gap is something else: a frame, an arrow, a stamp.
  size_t first = 0, last = glyphs.size() - 1;
  while (first < last && glyphs[first + 1].centre() - glyphs[first].centre() > 1.8 * line.pitch)
    ++first;
  while (last > first && glyphs[last].centre() - glyphs[last - 1].centre() > 1.8 * line.pitch)
    --last;
  if (first == last) return std::nullopt;
  glyphs = std::vector<Blob>(glyphs.begin() + first, glyphs.begin() + last + 1);
  if (!fit_lattice(glyphs, line)) return std::nullopt;

  std::vector<int> tops, bottoms;
  for (const Blob& g : glyphs) {
    tops.push_back(g.top);
    bottoms.push_back(g.bottom);
  }
  std::sort(tops.begin(), tops.end());
  std::sort(bottoms.begin(), bottoms.end());
  line.top = tops[tops.size() / 10];
  line.bottom = bottoms[bottoms.size() - 1 - bottoms.size() / 10];
  return line;
}

double cell_centre(const GlyphLine& line, int count, int cell) {
  if (count < 2) return line.first_centre;
  return line.first_centre + (line.last_centre - line.first_centre) * cell / (count - 1);
}

cv::Mat cell_window(const GlyphLine& line, int count, int cell) {
  const double pitch =
      count < 2 ? line.pitch : (line.last_centre - line.first_centre) / (count - 1);
  const double centre = cell_centre(line, count, cell);
  // The window is a little larger than the cell, so a comparison can shift by kShift.
  const double half_width = 0.5 * pitch * (kWindowWidth + 2 * kShift) / kWindowWidth;
  const double height = line.bottom - line.top;
  const double margin = height * kShift / kWindowHeight;
  cv::Rect box(static_cast<int>(std::floor(centre - half_width)),
               static_cast<int>(std::floor(line.top - margin)),
               static_cast<int>(std::ceil(2 * half_width)),
               static_cast<int>(std::ceil(height + 2 * margin)));
  cv::Mat window(box.height, box.width, CV_8UC1, cv::Scalar(0));
  const cv::Rect inside = box & cv::Rect(0, 0, line.ink.cols, line.ink.rows);
  if (inside.area() > 0) line.ink(inside).copyTo(window(inside - box.tl()));
  cv::Mat out;
  cv::resize(window, out, {kWindowWidth + 2 * kShift, kWindowHeight + 2 * kShift}, 0, 0,
             cv::INTER_AREA);
  out.convertTo(out, CV_32F, 1.0 / 255);
  return out;
}

double glyph_similarity(const cv::Mat& a, const cv::Mat& b) {
  // The centre of `b` slides over `a`.
  const cv::Mat core = b(cv::Rect(kShift, kShift, kWindowWidth, kWindowHeight));
  cv::Scalar mean, deviation;
  cv::meanStdDev(core, mean, deviation);
  if (deviation[0] < 1e-3) return 0;  // an empty cell resembles nothing
  cv::meanStdDev(a, mean, deviation);
  if (deviation[0] < 1e-3) return 0;
  cv::Mat result;
  cv::matchTemplate(a, core, result, cv::TM_CCOEFF_NORMED);
  double best = -1;
  cv::minMaxLoc(result, nullptr, &best);
  return std::isfinite(best) ? best : -1;
}

}  // namespace kyc::text
