#include "adapters/image/line_segments.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <opencv2/core.hpp>
#include <opencv2/core/hal/intrin.hpp>

namespace kyc::image {

namespace {

constexpr int kAngles = 180;  // one degree per step, as the outline search used before

// Eight bytes, not twelve: the points are drawn in random order, so each draw is a cache miss,
// fewer the smaller the list (bench/README.md, "The segment search's votes four at a time").
struct EdgePoint {
  uint32_t at;    // y * width + x
  uint8_t first;  // the first angle (0..179) of the run this point votes for
};

// One byte per pixel says where it stands in the search: off it (no edge, or on a line walked
// already), an edge that has not voted yet, or an edge that voted for its run of angles from
// `first`, kept as kVotedFrom + first so that a segment taken can take its votes back. One byte
// in place of a mask and an int per pixel: the search's time goes on memory
// (bench/README.md, "The segment search's memory").
constexpr uint8_t kOff = 0, kNotVoted = 1, kVotedFrom = 2;
static_assert(kVotedFrom + kAngles - 1 <= UINT8_MAX);

// At most 89 degrees either side: a point's run of angles stays within the angle tables.
int spread_of(const SegmentSearch& search) {
  return std::clamp(static_cast<int>(std::lround(search.angle_tolerance)), 0, 89);
}

// The search proper, with `Count` votes per cell: 16 bits where no cell can pass their range,
// which halves the memory the votes scatter over.
template <typename Count>
std::vector<cv::Vec4i> search_segments(std::vector<EdgePoint> points, cv::Mat& state,
                                       const SegmentSearch& search) {
  const int width = state.cols, height = state.rows;
  // A line at angle index n is x cos(n) + y sin(n) = r: its normal points at n degrees, the
  // direction of the gradient of an edge that runs along it. Over the frame and 0..180 degrees
  // r runs from -(width - 1) to the diagonal (a pixel of margin each way for rounding), and
  // no further: the smaller the accumulator, the more of it stays in the cache.
  const int centre = width + 1;
  const int num_rho = centre + static_cast<int>(std::ceil(std::hypot(width, height))) + 2;
  // Tables over two turns of the index, so that a point's run of angles never wraps: index m
  // stands for angle m mod 180.
  std::vector<float> cosines(2 * kAngles), sines(2 * kAngles);
  std::vector<int32_t> rows(2 * kAngles);
  for (int m = 0; m < 2 * kAngles; ++m) {
    const int n = m % kAngles;
    cosines[m] = static_cast<float>(std::cos(n * CV_PI / kAngles));
    sines[m] = static_cast<float>(std::sin(n * CV_PI / kAngles));
    rows[m] = n * num_rho + centre;
  }
  const int run = 2 * spread_of(search) + 1;  // the angles every point votes for
  std::vector<Count> accumulator(static_cast<size_t>(kAngles) * num_rho, 0);
  // The cells a point votes for are found first and counted after: the look-ups of the second
  // loop do not wait on each other. Four at a time where the CPU has vectors: a product, a sum
  // and a rounding to nearest, each as the scalar loop does it, so the same cells.
  std::vector<int32_t> cells(static_cast<size_t>(run));
  auto votes_of = [&](int px, int py, int first, int change) {
    const float x = static_cast<float>(px), y = static_cast<float>(py);
    int i = 0;
#if CV_SIMD128
    const cv::v_float32x4 vx = cv::v_setall_f32(x), vy = cv::v_setall_f32(y);
    for (; i + 4 <= run; i += 4) {
      const cv::v_float32x4 r =
          vx * cv::v_load(&cosines[first + i]) + vy * cv::v_load(&sines[first + i]);
      cv::v_store(&cells[i], cv::v_load(&rows[first + i]) + cv::v_round(r));
    }
#endif
    for (; i < run; ++i)
      cells[i] = rows[first + i] + cvRound(x * cosines[first + i] + y * sines[first + i]);
    int best = 0, best_n = -1;
    for (int i = 0; i < run; ++i) {
      Count& cell = accumulator[cells[i]];
      cell = static_cast<Count>(cell + change);
      if (cell > best) best = cell, best_n = (first + i) % kAngles;
    }
    return std::pair{best, best_n};
  };

  std::vector<cv::Vec4i> segments;
  cv::RNG rng(static_cast<uint64_t>(-1));
  constexpr int shift = 16;
  for (int count = static_cast<int>(points.size()); count > 0; --count) {
    const int idx = rng.uniform(0, count);
    const EdgePoint point = points[idx];
    points[idx] = points[count - 1];
    uint8_t& here = state.data[point.at];
    if (here == kOff) continue;  // already on a segment
    const int px = static_cast<int>(point.at % width), py = static_cast<int>(point.at / width);
    auto [strongest, n] = votes_of(px, py, point.first, +1);
    here = static_cast<uint8_t>(kVotedFrom + point.first);
    if (strongest < std::max(1, search.votes)) continue;

    // Walk along the line from the point, both ways, in fixed point, until a gap too long.
    const float a = -sines[n], b = cosines[n];
    int x0 = px, y0 = py, dx0, dy0;
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
    cv::Point end[2] = {{px, py}, {px, py}};
    for (int k = 0; k < 2; ++k) {
      const int sx = k ? -dx0 : dx0, sy = k ? -dy0 : dy0;
      int gap = 0;
      for (int x = x0, y = y0;; x += sx, y += sy) {
        const cv::Point p = pixel(x, y);
        if (p.x < 0 || p.x >= width || p.y < 0 || p.y >= height) break;
        if (state.at<uint8_t>(p) != kOff) {
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
        uint8_t& on = state.at<uint8_t>(p);
        if (long_enough && on >= kVotedFrom) votes_of(p.x, p.y, on - kVotedFrom, -1);
        on = kOff;
        if (p == end[k]) break;
      }
    }
    if (long_enough) segments.push_back({end[0].x, end[0].y, end[1].x, end[1].y});
  }
  return segments;
}

}  // namespace

std::vector<cv::Vec4i> line_segments(const cv::Mat& edges, const cv::Mat& dx, const cv::Mat& dy,
                                     const SegmentSearch& search) {
  const int width = edges.cols, height = edges.rows, spread = spread_of(search);
  // A point is kept as its index in the frame (32 bits), and a cell as its index in the
  // accumulator (below 180 times twice the width and height, in 32 signed bits). The outline
  // search's frames (at most the working size) are far smaller; this guards any other caller.
  if (edges.total() > UINT32_MAX ||
      int64_t{kAngles} * (2 * (int64_t{width} + height) + 4) > INT32_MAX)
    return {};
  cv::Mat state(height, width, CV_8U, cv::Scalar(kOff));
  std::vector<EdgePoint> points;
  for (int y = 0; y < height; ++y) {
    const uint8_t* e = edges.ptr<uint8_t>(y);
    const int16_t *gx = dx.ptr<int16_t>(y), *gy = dy.ptr<int16_t>(y);
    uint8_t* s = state.ptr<uint8_t>(y);
    for (int x = 0; x < width; ++x) {
      if (!e[x]) continue;
      // The gradient's direction folded to 0..180 degrees: the normal of the edge's line.
      int normal = cvRound(cv::fastAtan2(gy[x], gx[x])) % kAngles;
      points.push_back(
          {static_cast<uint32_t>(y) * static_cast<uint32_t>(width) + static_cast<uint32_t>(x),
           static_cast<uint8_t>((normal - spread + kAngles) % kAngles)});
      s[x] = kNotVoted;
    }
  }
  // A cell counts the points within half a pixel of its line: fewer than twice the frame's
  // width and height together.
  if (2 * (static_cast<int64_t>(width) + height) <= INT16_MAX)
    return search_segments<int16_t>(std::move(points), state, search);
  return search_segments<int>(std::move(points), state, search);
}

}  // namespace kyc::image
