#include "adapters/image/line_segments.h"

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>

namespace kyc::image {

namespace {

constexpr int kAngles = 180;  // one degree per step, as the outline search used before

struct EdgePoint {
  int x, y;
  int first;  // the first angle (0..179) of the run this point votes for
};

}  // namespace

std::vector<cv::Vec4i> line_segments(const cv::Mat& edges, const cv::Mat& dx, const cv::Mat& dy,
                                     const SegmentSearch& search) {
  const int width = edges.cols, height = edges.rows;
  // A line at angle index n is x cos(n) + y sin(n) = r: its normal points at n degrees, the
  // direction of the gradient of an edge that runs along it.
  const int num_rho = (width + height) * 2 + 1, centre = (num_rho - 1) / 2;
  // Tables over two turns of the index, so that a point's run of angles never wraps: index m
  // stands for angle m mod 180.
  std::vector<float> cosines(2 * kAngles), sines(2 * kAngles);
  std::vector<size_t> rows(2 * kAngles);
  for (int m = 0; m < 2 * kAngles; ++m) {
    const int n = m % kAngles;
    cosines[m] = static_cast<float>(std::cos(n * CV_PI / kAngles));
    sines[m] = static_cast<float>(std::sin(n * CV_PI / kAngles));
    rows[m] = static_cast<size_t>(n) * num_rho + centre;
  }
  // At most 89 degrees either side: a point's run of angles stays within the tables.
  const int spread = std::clamp(static_cast<int>(std::lround(search.angle_tolerance)), 0, 89);
  const int run = 2 * spread + 1;  // the angles every point votes for

  cv::Mat mask(height, width, CV_8U, cv::Scalar(0));
  std::vector<EdgePoint> points;
  for (int y = 0; y < height; ++y) {
    const uint8_t* e = edges.ptr<uint8_t>(y);
    const int16_t *gx = dx.ptr<int16_t>(y), *gy = dy.ptr<int16_t>(y);
    for (int x = 0; x < width; ++x) {
      if (!e[x]) continue;
      // The gradient's direction folded to 0..180 degrees: the normal of the edge's line.
      int normal = cvRound(cv::fastAtan2(gy[x], gx[x])) % kAngles;
      points.push_back({x, y, (normal - spread + kAngles) % kAngles});
      mask.at<uint8_t>(y, x) = 1;
    }
  }
  std::vector<int> accumulator(static_cast<size_t>(kAngles) * num_rho, 0);
  auto votes_of = [&](const EdgePoint& p, int change) {
    int best = 0, best_n = -1;
    const float x = static_cast<float>(p.x), y = static_cast<float>(p.y);
    for (int m = p.first; m < p.first + run; ++m) {
      int& cell = accumulator[rows[m] + cvRound(x * cosines[m] + y * sines[m])];
      cell += change;
      if (cell > best) best = cell, best_n = m % kAngles;
    }
    return std::pair{best, best_n};
  };
  // The first angle each point voted for (-1: it has not voted), so that a point on a segment
  // that is taken can take its votes back.
  std::vector<int> first_vote(static_cast<size_t>(width) * height, -1);

  std::vector<cv::Vec4i> segments;
  cv::RNG rng(static_cast<uint64_t>(-1));
  constexpr int shift = 16;
  for (int count = static_cast<int>(points.size()); count > 0; --count) {
    const int idx = rng.uniform(0, count);
    const EdgePoint point = points[idx];
    points[idx] = points[count - 1];
    if (!mask.at<uint8_t>(point.y, point.x)) continue;  // already on a segment
    auto [strongest, n] = votes_of(point, +1);
    first_vote[static_cast<size_t>(point.y) * width + point.x] = point.first;
    if (strongest < std::max(1, search.votes)) continue;

    // Walk along the line from the point, both ways, in fixed point, until a gap too long.
    const float a = -sines[n], b = cosines[n];
    int x0 = point.x, y0 = point.y, dx0, dy0;
    const bool along_x = std::abs(a) > std::abs(b);
    if (along_x) {
      dx0 = a > 0 ? 1 : -1;
      dy0 = static_cast<int>(std::lround(b * (1 << shift) / std::abs(a)));
      y0 = (y0 << shift) + (1 << (shift - 1));
    } else {
      dy0 = b > 0 ? 1 : -1;
      dx0 = static_cast<int>(std::lround(a * (1 << shift) / std::abs(b)));
      x0 = (x0 << shift) + (1 << (shift - 1));
    }
    auto pixel = [&](int x, int y) {
      return along_x ? cv::Point(x, y >> shift) : cv::Point(x >> shift, y);
    };
    cv::Point end[2] = {{point.x, point.y}, {point.x, point.y}};
    for (int k = 0; k < 2; ++k) {
      const int sx = k ? -dx0 : dx0, sy = k ? -dy0 : dy0;
      int gap = 0;
      for (int x = x0, y = y0;; x += sx, y += sy) {
        const cv::Point p = pixel(x, y);
        if (p.x < 0 || p.x >= width || p.y < 0 || p.y >= height) break;
        if (mask.at<uint8_t>(p)) {
          gap = 0;
          end[k] = p;
        } else if (++gap > search.max_gap) {
          break;
        }
      }
    }
    const bool long_enough = std::abs(end[1].x - end[0].x) >= search.min_length ||
                             std::abs(end[1].y - end[0].y) >= search.min_length;
    // Its points are taken off the search either way; when it is a segment, their votes too.
    for (int k = 0; k < 2; ++k) {
      const int sx = k ? -dx0 : dx0, sy = k ? -dy0 : dy0;
      for (int x = x0, y = y0;; x += sx, y += sy) {
        const cv::Point p = pixel(x, y);
        if (mask.at<uint8_t>(p)) {
          int& first = first_vote[static_cast<size_t>(p.y) * width + p.x];
          if (long_enough && first >= 0) {
            votes_of({p.x, p.y, first}, -1);
            first = -1;
          }
          mask.at<uint8_t>(p) = 0;
        }
        if (p == end[k]) break;
      }
    }
    if (long_enough) segments.push_back({end[0].x, end[0].y, end[1].x, end[1].y});
  }
  return segments;
}

}  // namespace kyc::image
