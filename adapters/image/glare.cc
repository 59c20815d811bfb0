#include "adapters/image/glare.h"

#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "adapters/image/lighting.h"

namespace kyc::image {

// A camera records a reflection of a lamp or window as a patch clipped in every channel. The
// document's own white (a white page, an MRZ band, a pale card, the margins of a scan) can be
// clipped too, so a clipped patch counts as glare only when it is what reflected light does
// and paper does not:
// - it washes out the print under it: the patch is solid, with hardly any print left inside
//   (a white band or page is clipped between its letters, so its patch is full of holes);
// - it is brighter than the document's paper around it: at a distance of half to one patch
//   radius (past the halo of the highlight) the paper is clearly below clipping. Where the
//   paper around is itself clipped, the patch is more of that paper.
Glare find_glare(const cv::Mat& grey, const cv::Mat& clipped, const ImageOptions& o) {
  Glare g;
  g.mask = cv::Mat::zeros(grey.size(), CV_8U);
  std::vector<std::vector<cv::Point>> contours;
  std::vector<cv::Vec4i> tree;  // next, previous, first child, parent
  cv::findContours(clipped, contours, tree, cv::RETR_CCOMP, cv::CHAIN_APPROX_SIMPLE);
  const double area = static_cast<double>(grey.total());
  for (size_t i = 0; i < contours.size(); ++i) {
    if (tree[i][3] >= 0) continue;  // a hole, judged with its patch
    double outer = cv::contourArea(contours[i]);
    if (outer < o.glare_min_patch_share * area) continue;
    double holes = 0;
    for (int c = tree[i][2]; c >= 0; c = tree[c][0]) holes += cv::contourArea(contours[c]);
    if (holes > o.glare_max_print_share * outer) continue;
    cv::Mat patch = cv::Mat::zeros(grey.size(), CV_8U);
    cv::drawContours(patch, contours, static_cast<int>(i), cv::Scalar(255), cv::FILLED);
    cv::Mat distance;
    cv::distanceTransform(~patch, distance, cv::DIST_L2, 3);
    double radius = std::sqrt(outer / std::numbers::pi);
    cv::Mat ring = (distance > 0.5 * radius) & (distance <= radius);
    double paper_around = masked_percentile(grey, ring, o.glare_paper_share);
    if (paper_around < 0 || paper_around > o.clip_level - o.glare_paper_margin) continue;
    g.mask |= patch & clipped;
  }
  g.share = static_cast<double>(cv::countNonZero(g.mask)) / std::max(1.0, area);
  return g;
}

}  // namespace kyc::image
