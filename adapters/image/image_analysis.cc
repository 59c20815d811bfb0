#include "adapters/image/image_analysis.h"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "adapters/image/decode_gate.h"
#include "adapters/image/document_detector.h"
#include "adapters/image/file_sniffer.h"
#include "adapters/image/illumination.h"
#include "adapters/image/lighting.h"
#include "adapters/image/photo_decoder.h"
#include "adapters/image/scaling.h"
#include "common/sha256.h"

namespace kyc::image {

namespace {

// libjpeg scales by 1/2, 1/4, 1/8 while decoding, far cheaper than decoding and resizing.
int reduced_decode_scale(const FileHeader& h, const ImageOptions& o) {
  if (h.format != FileFormat::Jpeg) return 1;
  uint32_t long_side = std::max(*h.width, *h.height);
  for (int denom : {8, 4, 2})
    if (long_side / denom >= static_cast<uint32_t>(o.decode_min_long_side)) return denom;
  return 1;
}

// Sharpness: the variance of the second derivative in the direction where it is smallest,
// after stretching the luma to the full range. Defocus lowers it in every direction, motion
// blur along the motion only, which a plain Laplacian (a sum over directions) would miss; the
// stretch keeps a dark or washed-out photo from passing for a blurry one.
double sharpness(const cv::Mat& bgr) {
  cv::Mat grey;
  cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
  if (cv::Mat stretched = stretched_luma(grey, CV_8U); !stretched.empty()) grey = stretched;
  // The four second differences (along rows, columns and both diagonals) in one pass, with
  // the edge mirrored as a filter's default border is. They are integers: their sums are exact,
  // and the variance is computed as cv::meanStdDev computes it.
  cv::Mat padded;
  cv::copyMakeBorder(grey, padded, 1, 1, 1, 1, cv::BORDER_REFLECT_101);
  std::array<int64_t, 4> sum{}, squares{};
  for (int y = 1; y <= grey.rows; ++y) {
    const uint8_t* up = padded.ptr<uint8_t>(y - 1);
    const uint8_t* row = padded.ptr<uint8_t>(y);
    const uint8_t* down = padded.ptr<uint8_t>(y + 1);
    for (int x = 1; x <= grey.cols; ++x) {
      const int centre = 2 * row[x];
      const std::array<int, 4> d = {row[x - 1] + row[x + 1] - centre, up[x] + down[x] - centre,
                                    up[x - 1] + down[x + 1] - centre,
                                    up[x + 1] + down[x - 1] - centre};
      for (int k = 0; k < 4; ++k) sum[k] += d[k], squares[k] += d[k] * d[k];
    }
  }
  const double scale = 1.0 / static_cast<double>(grey.total());
  double least = std::numeric_limits<double>::max();
  for (int k = 0; k < 4; ++k) {
    const double mean = static_cast<double>(sum[k]) * scale;
    const double dev =
        std::sqrt(std::max(static_cast<double>(squares[k]) * scale - mean * mean, 0.0));
    least = std::min(least, dev * dev);
  }
  return least;
}

// The frame seen along the colour axis on which it varies most, ignoring brightness: a pale
// card on a pale table of another hue (mint on grey stone, pale blue on lilac) barely differs
// from it in luma but clearly in colour, and blur takes what little luma border there was.
// Print is neutral, so it hardly counts here. `spread` is the axis's range from the 0.5th to
// the 99.5th percentile, in Lab units.
struct ColourAxis {
  cv::Mat image;  // 8-bit, stretched to the full range
  double spread = 0;
};

ColourAxis colour_axis(const cv::Mat& bgr) {
  cv::Mat lab, ab;
  cv::cvtColor(bgr, lab, cv::COLOR_BGR2Lab);
  int pick[] = {1, 0, 2, 1};  // a* and b*, without L*
  ab.create(lab.size(), CV_8UC2);
  cv::mixChannels(&lab, 1, &ab, 1, pick, 2);
  cv::Mat samples;
  ab.reshape(1, static_cast<int>(ab.total())).convertTo(samples, CV_32F);
  cv::PCA pca(samples, cv::Mat(), cv::PCA::DATA_AS_ROW, 1);
  cv::Mat projected = pca.project(samples).reshape(1, bgr.rows);
  std::vector<float> v(projected.begin<float>(), projected.end<float>());
  auto at = [&](double share) {
    auto it = v.begin() + static_cast<long>(share * static_cast<double>(v.size() - 1));
    std::nth_element(v.begin(), it, v.end());
    return static_cast<double>(*it);
  };
  ColourAxis axis;
  axis.spread = at(0.995) - at(0.005);
  cv::normalize(projected, axis.image, 0, 255, cv::NORM_MINMAX, CV_8U);
  return axis;
}

}  // namespace

ImageAnalysis analyze_image(std::string_view bytes, const ImageOptions& o) {
  ImageAnalysis a;
  common::StageClock clock(a.times);
  FileHeader header = sniff(bytes);
  a.format = std::string(format_name(header.format));
  a.bytes = bytes.size();
  a.sha256 = common::sha256_hex(bytes);
  if (header.width) {
    a.width = *header.width;
    a.height = *header.height;
    a.over_pixel_limit = uint64_t{a.width} * a.height > o.max_pixels;
  }
  a.over_byte_limit = bytes.size() > o.max_analysed_bytes;
  clock.lap("sniff and hash");
  if (a.over_byte_limit || !header_allows_decoding(header, o)) return a;
  a.exif = read_exif(bytes);
  clock.lap("exif");
  cv::Mat decoded = decode_photo(bytes, {.format = header.format,
                                         .scale_denom = reduced_decode_scale(header, o),
                                         .orientation = a.exif.orientation,
                                         .max_jpeg_scans = o.max_jpeg_scans,
                                         .max_pixels = o.max_pixels,
                                         .max_png_chunk_bytes = o.max_png_chunk_bytes});
  if (decoded.empty()) return a;
  a.decodable = true;
  clock.lap("decode");

  int long_side = std::max(decoded.cols, decoded.rows);
  double k = std::min(1.0, static_cast<double>(o.working_long_side) / long_side);
  a.working = scaled(decoded, k);
  a.working_scale =
      static_cast<double>(std::max(a.width, a.height)) / std::max(a.working.cols, a.working.rows);
  a.decoded = decoded;  // shares the pixels: no copy
  cv::Mat working_grey;
  cv::cvtColor(a.working, working_grey, cv::COLOR_BGR2GRAY);
  clock.lap("working copy");

  // Outlines are looked for on the luma stretched to the full range, so a dark photo's edges
  // count as much as a bright one's.
  cv::Mat stretched;
  cv::normalize(working_grey, stretched, 0, 255, cv::NORM_MINMAX);
  // Focus is read on the whole frame: a blurred document's outline is often not found, or
  // found running on to the frame edge, but its edges are there to measure. The outline
  // search reads colours past that spread.
  a.focus = measure_focus(working_grey, o);
  clock.lap("focus");
  DocumentOutline outline = find_document(stretched, o, {a.working, a.focus.spread.value_or(0)});
  clock.lap("outline");
  // No whole outline: a shadow may hide one side and offer its own edge instead. Only a whole
  // outline is taken from the light-flattened copy, as from the colour axis below.
  if (!outline.detected || outline.cut_off) {
    Illumination light = illumination_of(stretched, o);
    DocumentOutline flat = light.shaded ? find_document(light.flattened, o) : DocumentOutline{};
    if (flat.detected && !flat.cut_off) outline = flat;
    clock.lap("outline, light flattened");
  }
  // Nothing in luma: the document may differ from the table in colour only. Only a whole
  // outline is taken from the colour axis: there, a stain or a shaded stretch of the table
  // running out of the frame would pass for a cut-off document as easily as a real one. A
  // frame without colour differences (a blank wall) is not searched: its axis is grain and
  // tint, stretched.
  if (!outline.detected) {
    ColourAxis colour = colour_axis(a.working);
    if (colour.spread >= o.min_colour_spread) {
      DocumentOutline by_colour = find_document(colour.image, o);
      if (by_colour.detected && !by_colour.cut_off) outline = by_colour;
    }
    clock.lap("outline, by colour");
  }
  a.document_detected = outline.detected;
  a.cut_off = outline.cut_off;
  a.fill = outline.fill;
  a.corners = outline.corners;
  // Light, sharpness and copy cues are read on the document itself when there is one.
  cv::Mat document = a.working;
  if (outline.detected) {
    a.crop = rectify(decoded, outline.corners, 1.0 / k, o.crop_max_width);
    document = a.crop;
    clock.lap("crop");
  }
  cv::Mat measured = scaled_to_width(document, o.measure_crop_width);
  clock.lap("measuring copy");
  a.lighting = measure_lighting(measured, o);
  a.measured = measured;
  clock.lap("lighting");
  a.sharpness = sharpness(measured);
  clock.lap("sharpness");
  // The screen's grid shows where the screen shows the document: moire is looked for there.
  cv::Point2f centre(decoded.cols / 2.0f, decoded.rows / 2.0f);
  if (outline.detected && !outline.corners.empty())
    centre = centroid(outline.corners) * static_cast<float>(1.0 / k);
  a.screen = screen_cues(decoded, centre, working_grey, a.width, a.height, a.exif, o);
  clock.lap("screen cues");
  a.copy = copy_cues(measured, o);
  a.grey = a.copy.saturation < o.copy_colour_low;
  clock.lap("copy cues");
  return a;
}

void add_facts(const ImageAnalysis& a, boost::json::object& f, const std::string& p) {
  f[p + "file.format"] = a.format;
  f[p + "file.bytes"] = a.bytes;
  // Whether a file decodes is known only when it was tried.
  if (!a.over_byte_limit) f[p + "file.decodable"] = a.decodable;
  f[p + "file.sha256"] = a.sha256;
  if (a.width) {
    f[p + "image.width"] = a.width;
    f[p + "image.height"] = a.height;
  }
  f[p + "image.over_pixel_limit"] = a.over_pixel_limit;
  // Nothing can be measured on a file that was not decoded; no document was seen in it either.
  f[p + "document.detected"] = a.document_detected;
  if (!a.decodable) return;
  const Lighting& l = a.lighting;
  f[p + "image.brightness"] = l.brightness;
  f[p + "image.glare"] = l.glare;
  f[p + "image.shadow"] = l.shadow;
  f[p + "image.clipped"] = l.clipped;
  f[p + "image.black_level"] = l.black_level;
  f[p + "image.white_level"] = l.white_level;
  f[p + "image.blur"] = a.sharpness;
  if (a.focus.spread) f[p + "image.edge_spread"] = *a.focus.spread;
  f[p + "image.grey"] = a.grey;
  f[p + "image.screen"] = a.screen.score;
  f[p + "image.copy"] = a.copy.score;
  f[p + "image.moire"] = a.screen.moire;
  f[p + "image.ui_bars"] = a.screen.ui_bars;
  f[p + "image.screen_size"] = a.screen.screen_size;
  f[p + "image.saturation"] = a.copy.saturation;
  f[p + "image.contrast"] = a.copy.contrast;
  f[p + "image.texture"] = a.copy.texture;
  f[p + "exif.camera"] = a.exif.camera();
  if (!a.exif.make.empty()) f[p + "exif.make"] = a.exif.make;
  if (!a.exif.model.empty()) f[p + "exif.model"] = a.exif.model;
  if (!a.exif.software.empty()) f[p + "exif.software"] = a.exif.software;
  f[p + "document.cut_off"] = a.cut_off;
  f[p + "document.fill"] = a.fill;
}

}  // namespace kyc::image
