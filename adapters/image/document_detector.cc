#include "adapters/image/document_detector.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <optional>

#include "adapters/image/bit_planes.h"
#include "adapters/image/lighting.h"
#include "adapters/image/line_segments.h"
#include "adapters/image/scaling.h"

namespace kyc::image {

cv::Point2f centroid(const std::vector<cv::Point2f>& points) {
  cv::Point2f sum(0, 0);
  for (const auto& p : points) sum += p;
  return sum * (1.0f / static_cast<float>(std::max<size_t>(1, points.size())));
}

namespace {

// Corners clockwise from the top-left one (smallest x + y).
std::vector<cv::Point2f> clockwise(std::vector<cv::Point2f> pts) {
  const cv::Point2f c = centroid(pts);
  std::sort(pts.begin(), pts.end(), [&](const cv::Point2f& a, const cv::Point2f& b) {
    return std::atan2(a.y - c.y, a.x - c.x) < std::atan2(b.y - c.y, b.x - c.x);
  });
  auto first = std::min_element(pts.begin(), pts.end(),
                                [](auto& a, auto& b) { return a.x + a.y < b.x + b.y; });
  std::rotate(pts.begin(), first, pts.end());
  return pts;
}

// Edges widened by 2 px, computed once per edge map: every candidate outline is checked on it.
// Kept per direction (4 bins of 45 degrees): a side is supported only by edges that run along
// it, not by print it crosses (letters have edges in every direction, a side has one).
struct EdgeMap {
  // Bit k (0-3) set within 2 px of an edge whose direction is within the tolerance of 45k
  // degrees: the four directions' maps in one byte per pixel.
  cv::Mat near;
  double chance = 0;  // share of the frame near an edge of any direction
  // A map with edges nearly everywhere is searched only for whole outlines that run along
  // edges far more than a line drawn anywhere would: their support must reach this.
  double min_support = 0;
  bool whole_only = false;
  // The photo at this scale, smoothed (empty when only luma is searched): a cut-off outline's
  // sides are checked on it for edges of the light (light_edge.h).
  ColourView colour;
};

// The luma gradient, computed once per scale and shared by its edge maps and the edge detector
// (with Canny's own border, so that its edges are those it would find alone).
struct Gradient {
  cv::Mat dx, dy;
};

Gradient gradient_of(const cv::Mat& smooth) {
  Gradient g;
  cv::Sobel(smooth, g.dx, CV_16S, 1, 0, 3, 1, 0, cv::BORDER_REPLICATE);
  cv::Sobel(smooth, g.dy, CV_16S, 0, 1, 3, 1, 0, cv::BORDER_REPLICATE);
  return g;
}

// A document's border is where its colour ends, not only its brightness: a green card on a
// lilac cloth can match the cloth's luma, and its border is then nearly flat in the luma
// gradient while the chroma steps. Each pixel keeps the stronger of the luma's gradient (`g`)
// and of the gradients of a* and b* (CIELAB, from `smooth_bgr`). Print is neutral, dark on
// light, and a shadow dims every channel alike: neither steps in chroma, so only the borders
// between surfaces of different colour are added, and the luma's thresholds still hold.
// 8-bit Lab holds L* times 255/100 but a* and b* in their own units: a step of one unit of
// chroma weighs as much as one of lightness when a* and b* are scaled back by 2.55 (2.5 here).
constexpr float kChromaWeight = 2.5f;

void add_chroma_steps(Gradient& g, const cv::Mat& smooth_bgr) {
  cv::Mat lab;
  cv::cvtColor(smooth_bgr, lab, cv::COLOR_BGR2Lab);
  cv::Mat dx, dy;
  cv::Sobel(lab, dx, CV_16S, 1, 0, 3, 1, 0, cv::BORDER_REPLICATE);
  cv::Sobel(lab, dy, CV_16S, 0, 1, 3, 1, 0, cv::BORDER_REPLICATE);
  for (int y = 0; y < g.dx.rows; ++y) {
    int16_t *gx = g.dx.ptr<int16_t>(y), *gy = g.dy.ptr<int16_t>(y);
    const int16_t *cx = dx.ptr<int16_t>(y), *cy = dy.ptr<int16_t>(y);
    for (int x = 0; x < g.dx.cols; ++x) {
      int best = std::abs(gx[x]) + std::abs(gy[x]);  // Canny's own (L1) magnitude
      for (int c = 1; c < 3; ++c) {                  // a*, b*
        int sx = static_cast<int>(cx[3 * x + c] * kChromaWeight),
            sy = static_cast<int>(cy[3 * x + c] * kChromaWeight);
        if (int m = std::abs(sx) + std::abs(sy); m > best) {
          best = m;
          gx[x] = cv::saturate_cast<int16_t>(sx);
          gy[x] = cv::saturate_cast<int16_t>(sy);
        }
      }
    }
  }
}

EdgeMap near_edges(const cv::Mat& edges, const Gradient& g, const ImageOptions& o) {
  EdgeMap map;
  cv::Mat bits = cv::Mat::zeros(edges.size(), CV_8U);
  for (int y = 0; y < edges.rows; ++y) {
    const uint8_t* e = edges.ptr<uint8_t>(y);
    const int16_t *dx = g.dx.ptr<int16_t>(y), *dy = g.dy.ptr<int16_t>(y);
    uint8_t* b = bits.ptr<uint8_t>(y);
    for (int x = 0; x < edges.cols; ++x) {
      if (!e[x]) continue;
      // The edge runs across its gradient: its direction, 0..180 degrees. (fastAtan2 gives
      // 0..360; the subtractions are exact, the same as std::fmod without its cost.)
      float along = cv::fastAtan2(dy[x], dx[x]) + 90.f;
      if (along >= 360.f) along -= 360.f;
      if (along >= 180.f) along -= 180.f;
      for (int k = 0; k < 4; ++k) {
        float off = std::abs(along - 45.f * k);
        if (std::min(off, 180.f - off) <= o.side_angle_tolerance) b[x] |= uint8_t(1u << k);
      }
    }
  }
  // Widened by 2 px (a 5 x 5 square), all four directions in one pass: OpenCV's dilation per
  // direction and the union of the four took 1.2 ms of 2.0 per map (bench/README.md, "Small
  // passes over the measuring copy").
  map.near = dilated_bits(bits, 2);
  // Every direction is within 22.5 degrees of a bin, so the bins together hold every edge.
  map.chance = static_cast<double>(cv::countNonZero(map.near)) / map.near.total();
  return map;
}

// How well an outline runs along detected edges (within 2 px, `near` from near_edges). A
// document's border is an edge all round; a shape made of clutter, or a side drawn on past the
// document's corner, is not. Each side is judged alone, or three strong sides would carry one
// that is not there.
struct Support {
  double overall = 0;       // share of the whole outline on edges
  double weakest_side = 1;  // the least supported side that lies inside the frame
};

// The bit of EdgeMap::near for edges that run in the direction of the line from a to b.
uint8_t edges_along(cv::Point2f a, cv::Point2f b) {
  float along = std::fmod(cv::fastAtan2(b.y - a.y, b.x - a.x), 180.f);
  return uint8_t(1u << (static_cast<int>(std::lround(along / 45.f)) % 4));
}

Support edge_support(const EdgeMap& map, const std::vector<cv::Point2f>& poly, cv::Size frame,
                     bool skip_frame_edge) {
  int on = 0, total = 0;
  Support support;
  for (size_t i = 0; i < poly.size(); ++i) {
    cv::Point2f a = poly[i], b = poly[(i + 1) % poly.size()];
    int steps = std::max(1, static_cast<int>(cv::norm(b - a)));
    const uint8_t along = edges_along(a, b);
    int side_on = 0, side_total = 0;
    for (int s = 0; s < steps; ++s) {
      cv::Point2f p = a + (b - a) * (static_cast<float>(s) / static_cast<float>(steps));
      int x = std::clamp(static_cast<int>(p.x), 0, frame.width - 1);
      int y = std::clamp(static_cast<int>(p.y), 0, frame.height - 1);
      // Where the frame cuts the document there is no edge to find.
      if (skip_frame_edge && (x <= 2 || y <= 2 || x >= frame.width - 3 || y >= frame.height - 3))
        continue;
      ++side_total;
      side_on += (map.near.at<uint8_t>(y, x) & along) != 0;
    }
    on += side_on;
    total += side_total;
    // A side mostly along the frame edge is where the frame cuts the document: not judged.
    if (side_total > steps / 2)
      support.weakest_side =
          std::min(support.weakest_side, static_cast<double>(side_on) / side_total);
  }
  support.overall = total ? static_cast<double>(on) / total : 0;
  return support;
}

// The edges of the frame that `p` lies within `margin` (a share of the frame) of, or past: one
// bit each for left, top, right and bottom.
unsigned frame_edges_near(const cv::Point2f& p, cv::Size frame, double margin) {
  float mx = static_cast<float>(margin * frame.width),
        my = static_cast<float>(margin * frame.height);
  return (p.x <= mx ? 1u : 0u) | (p.y <= my ? 2u : 0u) | (p.x >= frame.width - 1 - mx ? 4u : 0u) |
         (p.y >= frame.height - 1 - my ? 8u : 0u);
}

bool on_frame_edge(const cv::Point2f& p, cv::Size frame, double margin) {
  return frame_edges_near(p, frame, margin) != 0;
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

// Whether a whole quadrilateral can be a flat document photographed by hand. Under the mild
// perspective of such a photo opposite sides keep similar lengths, and the outline keeps a
// document's proportions (ID-1 1.59, passport page 1.42) give or take the foreshortening of a
// tilt. A quadrilateral whose side runs through the print (the edge of the portrait, the MRZ
// band, a line across the card) is usually neither, and would hide that the document runs on
// out of the frame.
bool plausible_document_shape(const std::vector<cv::Point2f>& q, const ImageOptions& o) {
  double side[4];
  for (int i = 0; i < 4; ++i) side[i] = cv::norm(q[(i + 1) % 4] - q[i]);
  for (int i = 0; i < 2; ++i) {
    double shorter = std::min(side[i], side[i + 2]), longer = std::max(side[i], side[i + 2]);
    if (longer > o.max_opposite_side_ratio * std::max(shorter, 1e-6)) return false;
  }
  double across = (side[0] + side[2]) / 2, down = (side[1] + side[3]) / 2;
  double aspect = std::max(across, down) / std::max(1e-6, std::min(across, down));
  return aspect >= o.document_aspect.min && aspect <= o.document_aspect.max;
}

struct Candidate {
  DocumentOutline outline;
  double score = 0;
  double weakest_side = 0;  // its least supported side's share on edges
};

// The best whole outline and the best cut-off one, kept apart: a frame edge standing in for a
// side adds area that no edge vouches for (a shadow's or a table's line run to the frame makes
// one easily), so a cut-off outline is taken over a whole one only when clearly better. A whole
// outline without a document's shape still holds a cut-off one off, but is not taken: it is
// mostly a side run through the print of a document that goes on out of the frame, which a
// smaller scale then shows.
struct Best {
  Candidate whole, shaped, cut;  // shaped: the best whole outline with a document's shape
  void offer(const DocumentOutline& outline, double score, bool plausible, double weakest_side) {
    Candidate& slot = outline.cut_off ? cut : whole;
    if (score > slot.score) slot = {outline, score, weakest_side};
    if (!outline.cut_off && plausible && score > shaped.score)
      shaped = {outline, score, weakest_side};
  }
  bool found() const { return shaped.outline.detected || cut.outline.detected; }
  DocumentOutline chosen(const ImageOptions& o) const {
    if (cut.outline.detected && cut.score > whole.score * o.whole_outline_preference)
      return cut.outline;
    return shaped.outline;
  }
};

// Whether a side of the whole quadrilateral `q` runs on along an edge past one of its corners
// (image_options: corner_extension_*). Stretches that leave the frame are not judged.
bool side_runs_past_corner(const EdgeMap& map, const std::vector<cv::Point2f>& q, cv::Size frame,
                           const ImageOptions& o) {
  for (size_t i = 0; i < q.size(); ++i) {
    cv::Point2f a = q[i], b = q[(i + 1) % q.size()];
    float length = static_cast<float>(cv::norm(b - a));
    if (length < 1) continue;
    const uint8_t along = edges_along(a, b);
    cv::Point2f unit = (b - a) / length;
    int steps = static_cast<int>(o.corner_extension_share * length);
    for (auto [corner, out] : {std::pair{b, unit}, std::pair{a, -unit}}) {
      int on = 0, inside = 0;
      for (int s = 0; s < steps; ++s) {
        cv::Point2f p = corner + out * (o.corner_extension_gap + static_cast<float>(s));
        int x = static_cast<int>(p.x), y = static_cast<int>(p.y);
        if (x < 0 || y < 0 || x >= frame.width || y >= frame.height) continue;
        ++inside;
        on += (map.near.at<uint8_t>(y, x) & along) != 0;
      }
      if (inside > steps / 2 && on >= o.max_extension_support * inside) return true;
    }
  }
  return false;
}

// Whether a side of `poly` other than the frame's stand-ins is an edge of the light: then the
// outline is a shadow's or a lamp's boundary run out of the frame. (A side drawn from lines may
// run on past the frame to a corner outside it; only its stretch inside is read.)
bool has_light_side(const EdgeMap& near, const std::vector<cv::Point2f>& poly, cv::Size frame,
                    const ImageOptions& o) {
  for (size_t i = 0; i < poly.size(); ++i) {
    cv::Point2f a = poly[i], b = poly[(i + 1) % poly.size()];
    // Both ends along one edge of the frame (or past it): the frame standing in for a side.
    if (frame_edges_near(a, frame, o.border_margin) & frame_edges_near(b, frame, o.border_margin))
      continue;
    if (is_light_edge(near.colour, a, b, o)) return true;
  }
  return false;
}

// The last step for every candidate, from contours and from lines alike: `poly` (covering
// `share` of the frame) is offered to `best` only if its edges bear it out, as a whole and side
// by side; its score is its share of the frame times both supports.
void offer_if_supported(const std::vector<cv::Point2f>& poly, double share, bool cut,
                        const EdgeMap& near, cv::Size frame, const ImageOptions& o, Best& best) {
  if (near.whole_only && cut) return;
  Support support = edge_support(near, poly, frame, cut);
  if (support.overall < std::max(o.min_edge_support, near.min_support) ||
      support.weakest_side < o.min_side_support)
    return;
  if (cut && has_light_side(near, poly, frame, o)) return;
  // Only a whole outline is judged for a document's shape (Best::offer keeps it for those).
  best.offer({true, cut, share, poly}, share * support.overall * support.weakest_side,
             !cut && poly.size() == 4 && plausible_document_shape(poly, o) &&
                 !side_runs_past_corner(near, poly, frame, o),
             support.weakest_side);
}

void consider(const std::vector<cv::Point>& contour, const EdgeMap& near, cv::Size frame,
              const ImageOptions& o, Best& best) {
  double frame_area = static_cast<double>(frame.area());
  std::vector<cv::Point> hull;
  cv::convexHull(contour, hull);
  double area = cv::contourArea(hull);
  if (area < o.min_document_share * frame_area || area > o.max_document_share * frame_area) return;
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
  offer_if_supported(poly, area / frame_area, cut, near, frame, o, best);
}

// A straight side candidate: a long segment from the Hough transform, or a frame edge (which
// stands in for a side that lies outside the picture).
struct Side {
  cv::Point2f a, b;
  bool frame = false;
  double angle() const { return std::atan2(b.y - a.y, b.x - a.x); }
};

// Whether `s` lies along `kept`: nearly the same direction, and its middle close to kept's line.
bool same_line(const Side& kept, const Side& s, double max_angle, double max_distance) {
  double turn = std::abs(std::remainder(kept.angle() - s.angle(), CV_PI));
  if (turn > max_angle) return false;
  cv::Point2f d = kept.b - kept.a, mid = (s.a + s.b) * 0.5f;
  double length = std::max(1e-6, cv::norm(d));
  double off = std::abs(d.x * (mid.y - kept.a.y) - d.y * (mid.x - kept.a.x)) / length;
  return off <= max_distance;
}

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

// `corners` moved towards their centroid by `share` of the way, as integer points.
std::vector<cv::Point> inset(const std::vector<cv::Point2f>& corners, double share) {
  const cv::Point2f centre = centroid(corners);
  std::vector<cv::Point> inner;
  for (const auto& p : corners) inner.emplace_back(p + (centre - p) * static_cast<float>(share));
  return inner;
}

// Documents are made of four long straight sides; textured tables and clutter give short
// segments. Pairs of roughly parallel long lines (top/bottom, left/right) are combined into
// quadrilaterals, scored like the contour candidates.
void consider_lines(const cv::Mat& edges, const Gradient& g, const EdgeMap& near, cv::Size frame,
                    const ImageOptions& o, Best& best) {
  std::vector<cv::Vec4i> segments =
      line_segments(edges, g.dx, g.dy,
                    {.votes = o.hough_votes,
                     .min_length = o.min_side_share * std::min(frame.width, frame.height),
                     .max_gap = o.hough_max_gap,
                     .angle_tolerance = o.hough_vote_tolerance});
  std::sort(segments.begin(), segments.end(), [](const cv::Vec4i& a, const cv::Vec4i& b) {
    return std::hypot(a[2] - a[0], a[3] - a[1]) > std::hypot(b[2] - b[0], b[3] - b[1]);
  });
  std::vector<Side> horizontal, vertical;
  for (const auto& l : segments) {
    Side side{{float(l[0]), float(l[1])}, {float(l[2]), float(l[3])}};
    double a = std::abs(std::remainder(side.angle(), CV_PI));  // 0 = horizontal
    auto& group = a < CV_PI / 4 ? horizontal : vertical;
    if (group.size() >= static_cast<size_t>(o.max_side_candidates)) continue;
    // A shorter twin of a kept line (the other rim of the same edge, a line of print traced
    // twice) would take a place a real side needs: lines of MRZ text alone can fill them all.
    bool twin = std::any_of(group.begin(), group.end(), [&](const Side& kept) {
      return same_line(kept, side, o.same_line_angle, o.same_line_distance);
    });
    if (!twin) group.push_back(side);
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
                reaches &= distance_to(*sides[c], *next) <= o.side_reach_gap * std::max(w, h);
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
          if (area < o.min_document_share * frame_area || area > o.max_document_share * frame_area)
            continue;
          if (!cv::isContourConvex(quad) || !plausible_angles(quad)) continue;
          bool outside = false;
          for (auto& p : quad)
            outside |= p.x < -0.5f * w || p.y < -0.5f * h || p.x > 1.5f * w || p.y > 1.5f * h;
          if (outside) continue;
          bool cut = frame_sides > 0;
          for (auto& p : quad) cut |= on_frame_edge(p, frame, o.border_margin);
          offer_if_supported(quad, area / frame_area, cut, near, frame, o, best);
        }
}

}  // namespace

// How one scale is searched. `coarse`: `grey` is a reduced copy, searched because the working
// size showed no whole outline. `chroma`: the chroma's steps join the luma's (add_chroma_steps).
struct Pass {
  bool coarse = false;
  bool chroma = false;
};

// `colour`: the photo at the same scale, or empty.
DocumentOutline find_document_at(const cv::Mat& grey, const ColourView& colour,
                                 const ImageOptions& o, Pass pass);

bool whole(const DocumentOutline& d) { return d.detected && !d.cut_off; }

// Tried at the working size first, then smaller: a defocused document's edges are too soft
// for an edge detector at full size but become sharp again at a quarter or an eighth of it.
// At an eighth (128 px across) only a whole outline is taken: there any soft edge reaching the
// frame (a horizon, a shadow, a motion-blurred card's smear) makes a cut-off shape, and of the
// 150 tuning photos without a document 41 got one (bench/README.md, "A card far out of
// focus"). A cut-off outline is looked at smaller too: where blur has worn a side away, the
// search settles on a part of the document run out to the frame edge. A whole outline found
// smaller that covers about as much of the frame or more replaces it (blur or a shadow's edge
// widens the border into a rim that the larger scale ran on to the frame edge); one that
// covers clearly less is mostly a side run through the print of a document that does cross
// the frame edge.
// Still no whole outline: the smaller scales are searched again with the chroma's steps, for a
// border of hue alone (a card of about the table's luma, blurred). What that search chooses is
// taken only when it is a whole outline, and over a cut-off one only as above: a colourful
// thing running out of the frame (a face, a shirt, a stain) would pass for a cut-off document
// as easily as a real one. Cut-off outlines still compete there: a coloured panel of a
// document that crosses the frame edge is a whole shape of its own, and the document's own
// cut-off outline must be able to beat it.
DocumentOutline find_document(const cv::Mat& grey, const ImageOptions& o,
                              const ColourView& colour) {
  // The reduced copies, made as the luma's search reaches each scale; the chroma's search runs
  // only after the luma's searched them all, and reads them again.
  constexpr std::array<double, 3> kScales = {0.5, 0.25, 0.125};
  std::array<std::pair<cv::Mat, ColourView>, kScales.size()> reduced;
  auto search = [&](size_t i, Pass pass) {
    const auto& [small, small_colour] = reduced[i];
    DocumentOutline d = find_document_at(small, small_colour, o, pass);
    for (auto& p : d.corners) p *= static_cast<float>(1 / kScales[i]);
    return d;
  };
  auto better = [&](const DocumentOutline& smaller, const DocumentOutline& found) {
    return whole(smaller) && smaller.fill >= o.same_document_fill * found.fill;
  };
  DocumentOutline found = find_document_at(grey, colour, o, {});
  for (size_t i = 0; i < kScales.size(); ++i) {
    if (whole(found)) return found;
    auto& [small, small_colour] = reduced[i];
    cv::resize(grey, small, {}, kScales[i], kScales[i], cv::INTER_AREA);
    small_colour.edge_spread = colour.edge_spread * kScales[i];
    if (!colour.bgr.empty())
      cv::resize(colour.bgr, small_colour.bgr, small.size(), 0, 0, cv::INTER_AREA);
    DocumentOutline smaller = search(i, {.coarse = true});
    const bool coarsest = i + 1 == kScales.size();
    if ((!found.detected && (!coarsest || whole(smaller))) || better(smaller, found))
      found = smaller;
  }
  if (whole(found) || colour.bgr.empty()) return found;
  for (size_t i = 0; i < kScales.size(); ++i)
    if (DocumentOutline by_chroma = search(i, {.coarse = true, .chroma = true});
        better(by_chroma, found))
      return by_chroma;
  return found;
}

DocumentOutline find_document_at(const cv::Mat& grey, const ColourView& colour,
                                 const ImageOptions& o, Pass pass) {
  cv::Mat smooth;
  cv::GaussianBlur(grey, smooth, {5, 5}, 0);
  ColourView smooth_colour{{}, colour.edge_spread};
  if (!colour.bgr.empty()) cv::GaussianBlur(colour.bgr, smooth_colour.bgr, {5, 5}, 0);
  // Canny thresholds from the median: the same code works in dim and bright photos.
  double median = luma_percentile(smooth, 0.5);
  Best best;
  Gradient g = gradient_of(smooth);
  if (pass.chroma) add_chroma_steps(g, smooth_colour.bgr);
  // Two edge maps from the median, then, when neither shows a document, a faint one: a pale
  // card on a pale table has a border far weaker than its print.
  for (double sigma : {0.33, 0.66, 0.0}) {
    if (sigma == 0 && best.found()) break;
    // The wider map adds edges for a faint border, at the cost of a second segment search
    // (10 ms of the image facts): once the first map shows a whole outline of a document's
    // shape, it is not searched. On the 1,750 accuracy photos 27 outlines changed (detection,
    // cut-off, or fill by more than 0.02) and the verdicts all but one stayed (bench/README.md,
    // "One median edge map when it shows the card").
    if (sigma == 0.66 && best.shaped.outline.detected) break;
    cv::Mat edges, closed;
    if (sigma > 0)
      cv::Canny(g.dx, g.dy, edges,
                std::clamp((1 - sigma) * median * 0.5, o.canny_low.min, o.canny_low.max),
                std::clamp((1 + sigma) * median * 0.7, o.canny_high.min, o.canny_high.max));
    else
      cv::Canny(g.dx, g.dy, edges, o.canny_faint.min, o.canny_faint.max);
    EdgeMap near = near_edges(edges, g, o);
    near.colour = smooth_colour;
    // From the faint map, edges nearly everywhere are grain (a dark photo stretched, a mottled
    // table), not outlines: any shape would find support. A smaller scale averages the grain
    // away. (The median maps are not judged so: a tight crop is print from edge to edge.)
    // On a reduced copy the same widening covers several times more of the document, so its
    // print alone fills the map: there a whole outline is still taken when it lies on edges
    // far more often than chance (a blurred card's border is the only faint line that does).
    if (sigma == 0 && near.chance > o.max_edge_share) {
      if (!pass.coarse) continue;
      near.min_support = near.chance + o.coarse_support_over_chance;
      near.whole_only = true;
    }
    // Close small gaps in the outline (rounded corners, glare across the border).
    cv::morphologyEx(edges, closed, cv::MORPH_CLOSE,
                     cv::getStructuringElement(cv::MORPH_RECT, {7, 7}));
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(closed, contours, cv::RETR_LIST, cv::CHAIN_APPROX_SIMPLE);
    for (const auto& c : contours) consider(c, near, grey.size(), o, best);
    // Straight lines find a border that contours miss, broken by glare, blur or a shadow. A
    // contour of a document's shape on edges all round, with no cut-off outline beside it, is
    // an unbroken border, and only a larger document of which it is a panel (a card whose own
    // border glare broke) can still beat it. That document's sides lie outside it: the print
    // within, most of the edges, is not searched for lines (bench/README.md, "Lines outside an
    // unbroken border").
    const bool unbroken = best.shaped.outline.detected &&
                          best.shaped.weakest_side >= o.unbroken_side_support &&
                          !best.cut.outline.detected;
    cv::Mat searched = edges;
    if (unbroken) {
      searched = edges.clone();
      cv::fillConvexPoly(searched, inset(best.shaped.outline.corners, o.unbroken_inset), 0);
    }
    consider_lines(searched, g, near, grey.size(), o, best);
  }
  // A document that stands out by its brightness but has weak edges (a white card on a white
  // table in soft light): Otsu's threshold separates it.
  if (!best.found()) {
    cv::Mat mask, edges;
    cv::threshold(smooth, mask, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    cv::Canny(g.dx, g.dy, edges, 20, 60);
    EdgeMap near = near_edges(edges, g, o);
    near.colour = smooth_colour;
    bool grain = near.chance > o.max_edge_share;
    for (cv::Mat m : {mask, cv::Mat(255 - mask)}) {
      if (grain) break;
      std::vector<std::vector<cv::Point>> contours;
      cv::findContours(m, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
      for (const auto& c : contours) consider(c, near, grey.size(), o, best);
    }
  }
  // A scan or a tight crop: the page itself is the frame. Taken only when the frame has a
  // document's proportions (ID-1 1.59, ID-2/TD2 1.49, ID-3 1.42), which phone photos (4:3,
  // 16:9) do not, and either nothing else plausible was found or what was found is the
  // frame itself: an outline that fills nearly all of it, cut off only because the
  // document's border runs along the frame edge. Such a document is whole: "cut off" means
  // that it crosses the frame edge, not that its border touches it.
  double aspect = static_cast<double>(std::max(grey.cols, grey.rows)) /
                  std::max(1, std::min(grey.cols, grey.rows));
  DocumentOutline outline = best.chosen(o);
  bool frame_found =
      outline.detected && outline.cut_off && outline.fill >= o.frame_document_min_fill;
  if ((outline.fill < o.frame_document_max_found || frame_found) &&
      aspect >= o.frame_document_min_aspect && aspect <= o.frame_document_max_aspect) {
    float w = static_cast<float>(grey.cols - 1), h = static_cast<float>(grey.rows - 1);
    outline = {true, false, 1.0, {{0, 0}, {w, 0}, {w, h}, {0, h}}};
  }
  return outline;
}

cv::Mat rectify(const cv::Mat& image, const std::vector<cv::Point2f>& corners, double scale,
                int max_width) {
  if (corners.size() != 4) {
    // A cut-off outline has no four corners: the bounding box of what is visible.
    std::vector<cv::Point2f> visible;
    for (auto& p : corners) visible.push_back(p * scale);
    cv::Rect box = cv::boundingRect(visible) & cv::Rect(0, 0, image.cols, image.rows);
    cv::Mat out = image(box).clone();
    return out.cols > max_width ? scaled_to_width(out, max_width) : out;
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
