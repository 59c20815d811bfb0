#include "adapters/mrz_reader/mrz_line_segmenter.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace kyc::text {

namespace {

struct Run {
  int begin = 0;  // first row (or column)
  int end = 0;    // one past the last
  double ink = 0;
  int height() const { return end - begin; }
};

std::vector<Run> runs_above(const std::vector<double>& profile, double threshold) {
  std::vector<Run> runs;
  for (int i = 0; i < static_cast<int>(profile.size()); ++i) {
    if (profile[i] <= threshold) continue;
    if (runs.empty() || runs.back().end != i) runs.push_back({i, i, 0});
    runs.back().end = i + 1;
    runs.back().ink += profile[i];
  }
  return runs;
}

// The longest stretch of columns holding ink, allowing gaps up to `max_gap` (the space a
// filler '<' leaves between two strokes is narrower than a character).
std::pair<int, int> ink_extent(const cv::Mat& mask_rows, int max_gap) {
  std::vector<int> columns(mask_rows.cols, 0);
  for (int y = 0; y < mask_rows.rows; ++y) {
    const uchar* row = mask_rows.ptr<uchar>(y);
    for (int x = 0; x < mask_rows.cols; ++x) columns[x] += row[x] ? 1 : 0;
  }
  // A column counts when a few pixels are inked: single specks of noise do not.
  const int min_ink = std::max(1, mask_rows.rows / 10);
  int best_begin = 0, best_end = 0, begin = -1, last = -1;
  for (int x = 0; x < mask_rows.cols; ++x) {
    if (columns[x] < min_ink) continue;
    if (begin < 0 || x - last > max_gap) begin = x;
    last = x;
    if (last + 1 - begin > best_end - best_begin) {
      best_begin = begin;
      best_end = last + 1;
    }
  }
  return {best_begin, best_end};
}

}  // namespace

cv::Mat ink_mask(const cv::Mat& image, double char_height) {
  const int size = std::max(3, static_cast<int>(std::lround(char_height * 0.8)) | 1);
  cv::Mat blackhat;
  cv::morphologyEx(image, blackhat, cv::MORPH_BLACKHAT,
                   cv::getStructuringElement(cv::MORPH_RECT, {size, size}));
  cv::Mat mask;
  cv::threshold(blackhat, mask, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  return mask;
}

std::vector<MrzLineBox> segment_mrz_lines(const cv::Mat& zone, double char_height_hint) {
  CV_Assert(zone.type() == CV_8UC1);
  const cv::Mat mask = ink_mask(zone, char_height_hint);

  std::vector<double> profile(mask.rows, 0);
  for (int y = 0; y < mask.rows; ++y)
    profile[y] = cv::countNonZero(mask.row(y)) / static_cast<double>(mask.cols);
  std::vector<double> smooth(profile.size(), 0);
  for (int y = 0; y < static_cast<int>(profile.size()); ++y) {
    double sum = 0;
    int n = 0;
    for (int d = -1; d <= 1; ++d) {
      if (y + d < 0 || y + d >= static_cast<int>(profile.size())) continue;
      sum += profile[y + d];
      ++n;
    }
    smooth[y] = sum / n;
  }
  const double peak = *std::max_element(smooth.begin(), smooth.end());
  std::vector<Run> rows = runs_above(smooth, 0.2 * peak);
  if (rows.empty()) return {};

  // Runs much lower than the tallest are specks, underlines or the tops of other text.
  int tallest = 0;
  for (const Run& run : rows) tallest = std::max(tallest, run.height());
  std::erase_if(rows, [&](const Run& run) { return run.height() < 0.4 * tallest; });

  std::vector<MrzLineBox> lines;
  for (const Run& run : rows) {
    const cv::Mat band = mask.rowRange(run.begin, run.end);
    const auto [x0, x1] = ink_extent(band, std::max(2, static_cast<int>(1.5 * run.height())));
    lines.push_back(
        {cv::Rect(x0, run.begin, x1 - x0, run.height()), static_cast<double>(run.height())});
  }
  // MRZ lines run the width of the zone, thirty characters or more; a short run is other
  // text caught in the margin.
  int widest = 0;
  for (const MrzLineBox& line : lines) widest = std::max(widest, line.box.width);
  std::erase_if(lines, [&](const MrzLineBox& line) {
    return line.box.width < 0.6 * widest || line.box.width < 10 * line.char_height;
  });
  if (lines.size() > 3) {
    // Keep the three with the most ink, in their order.
    std::vector<std::pair<double, int>> ink;
    for (int i = 0; i < static_cast<int>(lines.size()); ++i)
      ink.emplace_back(cv::countNonZero(mask(lines[i].box)), i);
    std::sort(ink.rbegin(), ink.rend());
    std::vector<MrzLineBox> kept;
    for (int i = 0; i < static_cast<int>(lines.size()); ++i)
      for (int k = 0; k < 3; ++k)
        if (ink[k].second == i) kept.push_back(lines[i]);
    lines = std::move(kept);
  }
  return lines;
}

}  // namespace kyc::text
