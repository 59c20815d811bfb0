// kyc analyze FILE [--back FILE] [--debug DIR]: the facts the image and text adapters read
// from a photo, as JSON; --debug writes the detected outline, the document crop and the masks
// each image measure used, as PNGs.
#include <boost/json.hpp>
#include <filesystem>
#include <iostream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "adapters/photos/photo_facts.h"
#include "cli/commands.h"
#include "common/civil_date.h"
#include "dsl/policy_loader.h"

namespace kyc::cli {

namespace {

// The measured document with a mask painted over it in `colour`, so a person sees both.
cv::Mat painted(const cv::Mat& document, const cv::Mat& mask, const cv::Scalar& colour) {
  cv::Mat out = document.clone();
  if (!mask.empty()) out.setTo(colour, mask);
  return out;
}

// Next to the outline and the crop, what each measure looked at: the highlights counted as
// glare (magenta), the light field the shadow was read on, the clipped (red) and crushed
// (blue) areas exposure was judged by, the spectrum moire was looked for in, the edges focus
// was read on (green narrow, red spread), and the document white balanced on its paper, as the
// copy cue read its colours.
void write_debug(const image::ImageAnalysis& a, const std::filesystem::path& dir,
                 const std::string& side) {
  std::filesystem::create_directories(dir);
  if (a.working.empty()) return;
  auto write = [&](const std::string& name, const cv::Mat& image) {
    if (!image.empty()) cv::imwrite((dir / (side + "-" + name + ".png")).string(), image);
  };
  cv::Mat outline = a.working.clone();
  if (!a.corners.empty()) {
    std::vector<cv::Point> poly;
    for (auto& p : a.corners) poly.emplace_back(cv::Point(p));
    cv::polylines(outline, poly, true, {0, 0, 255}, 3);
  }
  write("outline", outline);
  write("crop", a.crop);
  const image::LightingMasks& m = a.lighting.masks;
  if (!a.measured.empty()) {
    write("glare", painted(a.measured, m.glare, {255, 0, 255}));
    write("exposure", painted(painted(a.measured, m.clipped, {0, 0, 255}), m.crushed, {255, 0, 0}));
  }
  write("light", m.light);
  write("spectrum", a.screen.spectrum);
  write("focus", a.focus.picture);
  write("copy", a.copy.balanced);
}

}  // namespace

void add_analyze(CLI::App& app) {
  auto* cmd = app.add_subcommand("analyze", "Print the facts the image adapter reads from a photo");
  static std::string front, back, debug_dir;
  cmd->add_option("file", front, "Photo of the document's front")->required();
  cmd->add_option("--back", back, "Photo of the back");
  cmd->add_option("--debug", debug_dir, "Write the outline, the crop and each measure's mask here (PNG)");
  cmd->callback([] {
    std::string bytes[2];
    for (int side = 0; side < 2; ++side) {
      const std::string& path = side == 0 ? front : back;
      if (!path.empty() && !dsl::read_file(path, bytes[side])) {
        std::cerr << path << ": cannot read the file\n";
        exit_code = 1;
        return;
      }
    }
    image::ImageOptions options;
    options.debug_pictures = !debug_dir.empty();
    auto read = photos::read_photos(bytes[0], bytes[1], common::today_utc(), options);
    if (!debug_dir.empty()) {
      write_debug(read.front, debug_dir, "front");
      if (!back.empty()) write_debug(read.back, debug_dir, "back");
    }
    std::cout << boost::json::serialize(read.facts) << "\n";
    // Which image the MRZ facts came from: the rectified document or, when that gave no valid
    // MRZ, the whole photo.
    if (!read.text_source.mrz.empty())
      std::cerr << "mrz read from: " << read.text_source.mrz << "\n";
  });
}

}  // namespace kyc::cli
