// Image facts vs a plain full-resolution cv::imdecode of the same JPEG, alternating in one
// run; prints the medians and their ratio (issue 5: at most 1.5), then the median of each
// stage of the analysis (common/stage_times.h), to see where the time goes. The analysis
// decodes with libjpeg-turbo straight into BGR (adapters/image/photo_decoder.h), faster than
// cv::imdecode: the full-resolution decode that way is timed too, and the ratio to it given,
// so that the headline ratio does not hide what the faster decoder alone gains.
// Usage: image_speed [FILE.jpg] [REPETITIONS]   (default: a 4000x3000 photo made from a
// shared specimen, scaled up with sensor-like noise)
//        image_speed --write FILE.jpg   writes that photo (bench/upload-latency.sh sends it)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "adapters/image/image_analysis.h"
#include "adapters/image/photo_decoder.h"
#include "dsl/policy_loader.h"

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

std::string twelve_megapixels() {
  cv::Mat page = cv::imread(KYC_SOURCE_DIR "/../shared/data/mrz/images/passport-td3.jpg");
  cv::Mat scene(3000, 4000, CV_8UC3, cv::Scalar(90, 110, 130));
  cv::Mat doc;
  cv::resize(page, doc, {2600, 1716}, 0, 0, cv::INTER_CUBIC);
  doc.copyTo(scene(cv::Rect(700, 640, doc.cols, doc.rows)));
  cv::Mat noise(scene.size(), CV_8UC3);
  cv::randn(noise, 0, 6);
  scene += noise;
  std::vector<uint8_t> out;
  cv::imencode(".jpg", scene, out, {cv::IMWRITE_JPEG_QUALITY, 90});
  return std::string(out.begin(), out.end());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--write") {
    std::string photo = twelve_megapixels();
    std::FILE* out = std::fopen(argv[2], "wb");
    bool written = out && std::fwrite(photo.data(), 1, photo.size(), out) == photo.size();
    if (out) written = std::fclose(out) == 0 && written;
    if (!written) std::fprintf(stderr, "%s: cannot write\n", argv[2]);
    return written ? 0 : 1;
  }
  std::string bytes;
  if (argc > 1 && *argv[1] && !kyc::dsl::read_file(argv[1], bytes)) {
    std::fprintf(stderr, "%s: cannot read\n", argv[1]);
    return 1;
  }
  if (bytes.empty()) bytes = twelve_megapixels();
  int reps = argc > 2 ? std::atoi(argv[2]) : 15;
  cv::setNumThreads(1);  // one core each, as the service's image pool runs them
  kyc::image::ImageOptions options;
  cv::Mat raw(1, static_cast<int>(bytes.size()), CV_8U, bytes.data());
  std::vector<double> decode_ms, turbo_ms, facts_ms;
  using clock = std::chrono::steady_clock;
  auto ms = [](clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
  cv::Size size;
  std::vector<const char*> stages;  // in the order of the last run
  std::map<std::string, std::vector<double>> stage_ms;
  for (int i = 0; i < reps + 1; ++i) {
    auto t0 = clock::now();
    cv::Mat full = cv::imdecode(raw, cv::IMREAD_COLOR);
    auto t1 = clock::now();
    auto facts = kyc::image::analyze_image(bytes, options);
    auto t2 = clock::now();
    cv::Mat turbo = kyc::image::decode_photo(bytes, {.format = kyc::image::FileFormat::Jpeg});
    auto t3 = clock::now();
    size = full.size();
    if (i == 0) continue;  // warm-up
    decode_ms.push_back(ms(t1 - t0));
    facts_ms.push_back(ms(t2 - t1));
    turbo_ms.push_back(ms(t3 - t2));
    stages.clear();
    for (const auto& [stage, t] : facts.times.ms) {
      stages.push_back(stage);
      stage_ms[stage].push_back(t);
    }
  }
  double d = median(decode_ms), f = median(facts_ms), t = median(turbo_ms);
  std::printf(
      "| %dx%d JPEG, %zu bytes | full imdecode %.1f ms | image facts %.1f ms | ratio %.2f |\n"
      "| full libjpeg-turbo decode to BGR %.1f ms | ratio to it %.2f |\n",
      size.width, size.height, bytes.size(), d, f, f / d, t, f / t);
  for (const char* stage : stages)
    std::printf("  %-28s %6.1f ms\n", stage, median(stage_ms[stage]));
  return 0;
}
