// kyc analyze FILE [--back FILE] [--debug DIR]: the facts the image and text adapters read
// from a photo, as JSON; --debug writes the detected outline and the document crop as images.
#include <boost/json.hpp>
#include <filesystem>
#include <iostream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "adapters/image/image_analysis.h"
#include "adapters/text/document_text.h"
#include "cli/commands.h"
#include "dsl/policy_loader.h"
#include "engine/date.h"

namespace kyc::cli {

namespace {

void write_debug(const image::ImageAnalysis& a, const std::filesystem::path& dir,
                 const std::string& side) {
  std::filesystem::create_directories(dir);
  if (a.working.empty()) return;
  cv::Mat outline = a.working.clone();
  if (!a.corners.empty()) {
    std::vector<cv::Point> poly;
    for (auto& p : a.corners) poly.emplace_back(cv::Point(p));
    cv::polylines(outline, poly, true, {0, 0, 255}, 3);
  }
  cv::imwrite((dir / (side + "-outline.png")).string(), outline);
  if (!a.crop.empty()) cv::imwrite((dir / (side + "-crop.png")).string(), a.crop);
}

}  // namespace

void add_analyze(CLI::App& app) {
  auto* cmd = app.add_subcommand("analyze", "Print the facts the image adapter reads from a photo");
  static std::string front, back, debug_dir;
  cmd->add_option("file", front, "Photo of the document's front")->required();
  cmd->add_option("--back", back, "Photo of the back");
  cmd->add_option("--debug", debug_dir, "Write the detected outline and the crop here");
  cmd->callback([] {
    image::ImageOptions options;
    boost::json::object facts;
    cv::Mat sides[2];
    for (const std::string* path : {&front, &back}) {
      if (path->empty()) continue;
      std::string bytes;
      if (!dsl::read_file(*path, bytes)) {
        std::cerr << *path << ": cannot read the file\n";
        exit_code = 1;
        return;
      }
      std::string side = path == &front ? "front" : "back";
      image::ImageAnalysis a = image::analyze_image(bytes, options);
      image::add_facts(a, facts, side == "front" ? "" : "back.");
      sides[path == &front ? 0 : 1] = a.crop.empty() ? a.working : a.crop;
      if (!debug_dir.empty()) write_debug(a, debug_dir, side);
    }
    if (!sides[0].empty())
      text::add_document_text_facts(sides[0], sides[1], engine::today_utc(), facts);
    std::cout << boost::json::serialize(facts) << "\n";
  });
}

}  // namespace kyc::cli
