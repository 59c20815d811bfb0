#include "adapters/image/document_detector.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <optional>

namespace kyc::image {

namespace {

// Corners clockwise from the top-left one (smallest x + y).
std::vector<cv::Point2f> clockwise(std::vector<cv::Point2f> pts) {
  cv::Point2f c(0, 0);
  for (auto& p : pts) c += p;
  c *= 1.0f / static_cast<float>(pts.size());
  std::sort(pts.begin(), pts.end(), [&](const cv::Point2f& a, const cv::Point2f& b) {
    return std::atan2(a.y - c.y, a.x - c.x) < std::atan2(b.y - c.y, b.x - c.x);
  });
  auto first = std::min_element(pts.begin(), pts.end(),
                                [](auto& a, auto& b) { return a.x + a.y < b.x + b.y; });
  std::rotate(pts.begin(), first, pts.end());
  return pts;
}

// Edges widened by 2 px, computed once per edge map: every candidate outline is checked on it.
cv::Mat near_edges(const cv::Mat& edges) {
  cv::Mat near;
  cv::dilate(edges, near, cv::getStructuringElement(cv::MORPH_RECT, {5, 5}));
  return near;
}

// Share of the outline's length that runs along detected edges (within 2 px, `near` from
// near_edges): a document's border is an edge all round, a shape made of clutter is not.
double edge_support(const cv::Mat& near, const std::vector<cv::Point2f>& poly, cv::Size frame,
                    bool skip_frame_edge) {
  int on = 0, total = 0;
  for (size_t i = 0; i < poly.size(); ++i) {
    cv::Point2f a = poly[i], b = poly[(i + 1) % poly.size()];
    int steps = std::max(1, static_cast<int>(cv::norm(b - a)));
    for (int s = 0; s < steps; ++s) {
      cv::Point2f p = a + (b - a) * (static_cast<float>(s) / static_cast<float>(steps));
      int x = std::clamp(static_cast<int>(p.x), 0, frame.width - 1);
      int y = std::clamp(static_cast<int>(p.y), 0, frame.height - 1);
      // Where the frame cuts the document there is no edge to find.
      if (skip_frame_edge && (x <= 2 || y <= 2 || x >= frame.width - 3 || y >= frame.height - 3))
        continue;
      ++total;
      on += near.at<uint8_t>(y, x) != 0;
    }
  }
  return total ? static_cast<double>(on) / total : 0;
}

bool on_frame_edge(const cv::Point2f& p, cv::Size frame, double margin) {
  float mx = static_cast<float>(margin * frame.width),
        my = static_cast<float>(margin * frame.height);
  return p.x <= mx || p.y <= my || p.x >= frame.width - 1 - mx || p.y >= frame.height - 1 - my;
}

// Interior angles of a plausible document seen in perspective.
bool plausible_angles(const std::vector<cv::Point2f>& q) {
  for (size_t i = 0; i < q.size(); ++i) {
    cv::Point2f a = q[(i + q.size() - 1) % q.size()] - q[i], b = q[(i + 1) % q.size()] - q[i];
    double cosine = a.dot(b) / (cv::norm(a) * cv::norm(b) + 1e-9);
    if (std::abs(cosine) > 0.7) return false;  // outside ~45..135 degrees
  }
  return true;
}

struct Candidate {
  DocumentOutline outline;
  double score = 0;
};

void consider(const std::vector<cv::Point>& contour, const cv::Mat& near, cv::Size frame,
              const ImageOptions& o, Candidate& best) {
  double frame_area = static_cast<double>(frame.area());
  std::vector<cv::Point> hull;
  cv::convexHull(contour, hull);
  double area = cv::contourArea(hull);
  if (area < o.min_document_share * frame_area || area > 0.98 * frame_area) return;
  std::vector<cv::Point> approx;
  cv::approxPolyDP(hull, approx, 0.02 * cv::arcLength(hull, true), true);
  if (approx.size() < 4 || approx.size() > 6) return;
  std::vector<cv::Point2f> poly(approx.begin(), approx.end());
  poly = clockwise(poly);
  int on_edge = 0;
  for (auto& p : poly) on_edge += on_frame_edge(p, frame, o.border_margin);
  bool cut = on_edge > 0;
  // More than four corners only happen where the frame cuts one off.
  if (poly.size() > 4 && on_edge < 2) return;
  if (poly.size() == 4 && !plausible_angles(poly)) return;
  double support = edge_support(near, poly, frame, cut);
  if (support < o.min_edge_support) return;
  double score = area / frame_area * support;
  if (score <= best.score) return;
  best.score = score;
  best.outline.detected = true;
  best.outline.cut_off = cut;
  best.outline.fill = area / frame_area;
  best.outline.corners = poly;
}

// A straight side candidate: a long segment from the Hough transform, or a frame edge (which
// stands in for a side that lies outside the picture).
struct Side {
  cv::Point2f a, b;
  bool frame = false;
  double angle() const { return std::atan2(b.y - a.y, b.x - a.x); }
};

// How far the nearer end of segment `s` is from the frame edge `edge`.
float distance_to(const Side& edge, const Side& s) {
  bool vertical_edge = edge.a.x == edge.b.x;
  auto d = [&](const cv::Point2f& p) {
    return vertical_edge ? std::abs(p.x - edge.a.x) : std::abs(p.y - edge.a.y);
  };
  return std::min(d(s.a), d(s.b));
}

std::optional<cv::Point2f> intersect(const Side& p, const Side& q) {
  cv::Point2f r = p.b - p.a, s = q.b - q.a;
  float cross = r.x * s.y - r.y * s.x;
  if (std::abs(cross) < 1e-6f) return std::nullopt;
  cv::Point2f d = q.a - p.a;
  float t = (d.x * s.y - d.y * s.x) / cross;
  return p.a + r * t;
}

// Documents are made of four long straight sides; textured tables and clutter give short
// segments. Pairs of roughly parallel long lines (top/bottom, left/right) are combined into
// quadrilaterals, scored like the contour candidates.
void consider_lines(const cv::Mat& edges, const cv::Mat& near, cv::Size frame,
                    const ImageOptions& o, Candidate& best) {
  std::vector<cv::Vec4i> segments;
  double min_len = o.min_side_share * std::min(frame.width, frame.height);
  cv::HoughLinesP(edges, segments, 1, CV_PI / 180, 50, min_len, 8);
  std::sort(segments.begin(), segments.end(), [](const cv::Vec4i& a, const cv::Vec4i& b) {
    return std::hypot(a[2] - a[0], a[3] - a[1]) > std::hypot(b[2] - b[0], b[3] - b[1]);
  });
  std::vector<Side> horizontal, vertical;
  for (const auto& l : segments) {
    Side side{{float(l[0]), float(l[1])}, {float(l[2]), float(l[3])}};
    double a = std::abs(std::remainder(side.angle(), CV_PI));  // 0 = horizontal
    auto& group = a < CV_PI / 4 ? horizontal : vertical;
    if (group.size() < static_cast<size_t>(o.max_side_candidates)) group.push_back(side);
  }
  float w = frame.width - 1.f, h = frame.height - 1.f;
  horizontal.push_back({{0, 0}, {w, 0}, true});
  horizontal.push_back({{0, h}, {w, h}, true});
  vertical.push_back({{0, 0}, {0, h}, true});
  vertical.push_back({{w, 0}, {w, h}, true});
  double frame_area = static_cast<double>(frame.area());
  for (size_t i = 0; i < horizontal.size(); ++i)
    for (size_t j = i + 1; j < horizontal.size(); ++j)
      for (size_t k = 0; k < vertical.size(); ++k)
        for (size_t m = k + 1; m < vertical.size(); ++m) {
          const Side* sides[4] = {&horizontal[i], &vertical[k], &horizontal[j], &vertical[m]};
          int frame_sides = 0;
          for (auto* sd : sides) frame_sides += sd->frame;
          if (frame_sides > 1) continue;  // at least three real sides
          // A frame edge stands in for a side only where the document really runs out of the
          // picture: the real sides next to it must reach the frame there.
          bool reaches = true;
          for (int c = 0; c < 4; ++c) {
            if (!sides[c]->frame) continue;
            for (const Side* next : {sides[(c + 1) % 4], sides[(c + 3) % 4]})
              if (!next->frame)
                reaches &= distance_to(*sides[c], *next) <= o.border_margin * 3 * std::max(w, h);
          }
          if (!reaches) continue;
          std::vector<cv::Point2f> quad;
          for (int c = 0; c < 4; ++c) {
            auto p = intersect(*sides[c], *sides[(c + 1) % 4]);
            if (!p) break;
            quad.push_back(*p);
          }
          if (quad.size() != 4) continue;
          quad = clockwise(quad);
          double area = std::abs(cv::contourArea(quad));
          if (area < o.min_document_share * frame_area || area > 0.98 * frame_area) continue;
          if (!cv::isContourConvex(quad) || !plausible_angles(quad)) continue;
          bool outside = false;
          for (auto& p : quad)
            outside |= p.x < -0.5f * w || p.y < -0.5f * h || p.x > 1.5f * w || p.y > 1.5f * h;
          if (outside) continue;
          bool cut = frame_sides > 0;
          for (auto& p : quad) cut |= on_frame_edge(p, frame, o.border_margin);
          double support = edge_support(near, quad, frame, cut);
          if (support < o.min_edge_support) continue;
          double score = area / frame_area * support;
          if (score <= best.score) continue;
          best.score = score;
          best.outline = {true, cut, std::min(1.0, area / frame_area), quad};
        }
}

}  // namespace

DocumentOutline find_document_at(const cv::Mat& grey, const ImageOptions& o);

// Tried at the working size first, then smaller: a defocused document's edges are too soft
// for an edge detector at full size but become sharp again at a quarter of it.
DocumentOutline find_document(const cv::Mat& grey, const ImageOptions& o) {
  DocumentOutline found = find_document_at(grey, o);
  for (double k : {0.5, 0.25}) {
    if (found.detected) break;
    cv::Mat small;
    cv::resize(grey, small, {}, k, k, cv::INTER_AREA);
    found = find_document_at(small, o);
    for (auto& p : found.corners) p *= static_cast<float>(1 / k);
  }
  return found;
}

DocumentOutline find_document_at(const cv::Mat& grey, const ImageOptions& o) {
  cv::Mat smooth;
  cv::GaussianBlur(grey, smooth, {5, 5}, 0);
  // Canny thresholds from the median: the same code works in dim and bright photos.
  std::vector<uint8_t> px(smooth.begin<uint8_t>(), smooth.end<uint8_t>());
  std::nth_element(px.begin(), px.begin() + static_cast<long>(px.size() / 2), px.end());
  double median = px[px.size() / 2];
  Candidate best;
  for (double sigma : {0.33, 0.66}) {
    cv::Mat edges, closed;
    cv::Canny(smooth, edges, std::max(0.0, (1 - sigma) * median) * 0.5,
              std::min(255.0, (1 + sigma) * median) * 0.7);
    // Close small gaps in the outline (rounded corners, glare across the border).
    cv::morphologyEx(edges, closed, cv::MORPH_CLOSE,
                     cv::getStructuringElement(cv::MORPH_RECT, {7, 7}));
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(closed, contours, cv::RETR_LIST, cv::CHAIN_APPROX_SIMPLE);
    cv::Mat near = near_edges(edges);
    for (const auto& c : contours) consider(c, near, grey.size(), o, best);
    consider_lines(edges, near, grey.size(), o, best);
  }
  // A document that stands out by its brightness but has weak edges (a white card on a white
  // table in soft light): Otsu's threshold separates it.
  if (!best.outline.detected) {
    cv::Mat mask, edges;
    cv::threshold(smooth, mask, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    cv::Canny(smooth, edges, 20, 60);
    cv::Mat near = near_edges(edges);
    for (cv::Mat m : {mask, cv::Mat(255 - mask)}) {
      std::vector<std::vector<cv::Point>> contours;
      cv::findContours(m, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
      for (const auto& c : contours) consider(c, near, grey.size(), o, best);
    }
  }
  // A scan or a tight crop: the page itself is the frame. Taken only when nothing else
  // plausible was found and the frame has a document's proportions (ID-1 1.59, ID-2/TD2 1.49,
  // ID-3 1.42), which phone photos (4:3, 16:9) do not.
  double aspect = static_cast<double>(std::max(grey.cols, grey.rows)) /
                  std::max(1, std::min(grey.cols, grey.rows));
  if (best.outline.fill < o.frame_document_max_found && aspect >= o.frame_document_min_aspect &&
      aspect <= o.frame_document_max_aspect) {
    float w = static_cast<float>(grey.cols - 1), h = static_cast<float>(grey.rows - 1);
    best.outline = {true, false, 1.0, {{0, 0}, {w, 0}, {w, h}, {0, h}}};
  }
  return best.outline;
}

cv::Mat rectify(const cv::Mat& image, const std::vector<cv::Point2f>& corners, double scale,
                int max_width) {
  if (corners.size() != 4) {
    // A cut-off outline has no four corners: the bounding box of what is visible.
    std::vector<cv::Point2f> scaled;
    for (auto& p : corners) scaled.push_back(p * scale);
    cv::Rect box = cv::boundingRect(scaled) & cv::Rect(0, 0, image.cols, image.rows);
    cv::Mat out = image(box).clone();
    if (out.cols > max_width)
      cv::resize(out, out, {}, double(max_width) / out.cols, double(max_width) / out.cols,
                 cv::INTER_AREA);
    return out;
  }
  std::array<cv::Point2f, 4> src;
  for (int i = 0; i < 4; ++i) src[i] = corners[i] * static_cast<float>(scale);
  double top = cv::norm(src[1] - src[0]), bottom = cv::norm(src[2] - src[3]);
  double left = cv::norm(src[3] - src[0]), right = cv::norm(src[2] - src[1]);
  double w = std::max(top, bottom), h = std::max(left, right);
  // A portrait-held card: turn it so the document is always read landscape.
  bool portrait = h > w;
  if (portrait) {
    std::rotate(src.begin(), src.begin() + 1, src.end());
    std::swap(w, h);
  }
  double k = std::min(1.0, max_width / w);
  cv::Size size(std::max(1, static_cast<int>(w * k)), std::max(1, static_cast<int>(h * k)));
  std::array<cv::Point2f, 4> dst = {cv::Point2f(0, 0), cv::Point2f(size.width - 1.f, 0),
                                    cv::Point2f(size.width - 1.f, size.height - 1.f),
                                    cv::Point2f(0, size.height - 1.f)};
  cv::Mat out;
  cv::warpPerspective(image, out, cv::getPerspectiveTransform(src.data(), dst.data()), size,
                      cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  return out;
}

}  // namespace kyc::image
