#include "adapters/mrz_reader/mrz_reader.h"

#include <algorithm>
#include <chrono>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "adapters/mrz_reader/mrz_glyph_grid.h"
#include "adapters/mrz_reader/mrz_line_readings.h"
#include "adapters/mrz_reader/mrz_line_segmenter.h"
#include "adapters/mrz_reader/mrz_locator.h"
#include "adapters/mrz_reader/mrz_ocr.h"

namespace kyc::text {

namespace {

using Clock = std::chrono::steady_clock;

int64_t micros_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
}

// Two ways to hand a line to Tesseract: its grey levels (the model was trained on anti-aliased
// text) or a binarisation that has dropped the background (guilloches, tints, shadows).
enum class Preparation { Grey, Binary };

// The line with about half a character of margin, scaled so its characters are
// `ocr_char_height` tall, on a white border (Tesseract reads badly text touching the edge).
cv::Mat prepare_line(const cv::Mat& zone, const MrzLineBox& line, Preparation preparation,
                     const MrzReaderOptions& options) {
  const double h = line.char_height;
  cv::Rect box(static_cast<int>(line.box.x - 0.6 * h), static_cast<int>(line.box.y - 0.35 * h),
               static_cast<int>(line.box.width + 1.2 * h),
               static_cast<int>(line.box.height + 0.7 * h));
  box &= cv::Rect(0, 0, zone.cols, zone.rows);
  const double scale = options.ocr_char_height / std::max(1.0, h);
  cv::Mat scaled;
  cv::resize(zone(box), scaled, {}, scale, scale, scale < 1 ? cv::INTER_AREA : cv::INTER_CUBIC);
  cv::Mat out;
  if (preparation == Preparation::Binary) {
    cv::bitwise_not(ink_mask(scaled, options.ocr_char_height), out);
  } else {
    cv::normalize(scaled, out, 0, 255, cv::NORM_MINMAX);
  }
  const int border = options.ocr_char_height / 2;
  cv::copyMakeBorder(out, out, border, border, border, border, cv::BORDER_CONSTANT, 255);
  return out;
}

LineRead read_line(MrzOcr& ocr, const cv::Mat& image, const MrzReaderOptions& options) {
  OcrLine ocr_line = ocr.read_line(image);
  return {std::move(ocr_line.text), std::move(ocr_line.symbols), ocr_line.confidence,
          measure_glyphs(image, options.ocr_char_height)};
}

cv::Mat to_grey(const cv::Mat& image) {
  cv::Mat grey;
  switch (image.channels()) {
    case 1:
      grey = image;
      break;
    case 3:
      cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
      break;
    case 4:
      cv::cvtColor(image, grey, cv::COLOR_BGRA2GRAY);
      break;
    default:
      return {};
  }
  switch (grey.depth()) {
    case CV_8U:
      break;
    case CV_16U:
      grey.convertTo(grey, CV_8U, 1.0 / 256);
      break;
    case CV_32F:
    case CV_64F:
      grey.convertTo(grey, CV_8U, 255);  // floating-point images hold [0,1]
      break;
    default:
      grey.convertTo(grey, CV_8U);
  }
  return grey;
}

// One zone in one orientation: its lines cut out, read grey, and if that does not verify,
// read binarised too (each line may then come from either reading).
std::optional<MrzCandidate> read_zone(const MrzZone& zone, bool flipped, MrzOcr& ocr,
                                      const MrzReaderOptions& options, MrzReading& reading) {
  auto start = Clock::now();
  cv::Mat crop = zone.crop;
  if (flipped) cv::rotate(zone.crop, crop, cv::ROTATE_180);
  const std::vector<MrzLineBox> boxes = segment_mrz_lines(crop, zone.char_height);
  reading.timings.ocr_us += micros_since(start);
  if (boxes.size() < 2 || boxes.size() > 3) return std::nullopt;
  for (const MrzLineBox& box : boxes)
    if (box.box.width > options.max_line_heights * std::max(1.0, box.char_height))
      return std::nullopt;

  std::vector<PassRead> passes;
  std::optional<MrzCandidate> best;
  for (Preparation preparation : {Preparation::Grey, Preparation::Binary}) {
    if (reading.ocr_passes >= options.max_ocr_passes) break;
    ++reading.ocr_passes;
    start = Clock::now();
    PassRead& pass = passes.emplace_back();
    for (const MrzLineBox& box : boxes)
      pass.lines.push_back(read_line(ocr, prepare_line(crop, box, preparation, options), options));
    reading.timings.ocr_us += micros_since(start);

    start = Clock::now();
    best = best_reading(passes);
    reading.timings.parse_us += micros_since(start);
    if (best && best->result.valid) break;
  }
  return best;
}

}  // namespace

std::string_view outcome_name(MrzReadOutcome outcome) {
  switch (outcome) {
    case MrzReadOutcome::Valid:
      return "valid";
    case MrzReadOutcome::ChecksFailed:
      return "checks_failed";
    case MrzReadOutcome::Unreadable:
      return "unreadable";
    case MrzReadOutcome::NotFound:
      return "not_found";
    case MrzReadOutcome::NotAnImage:
      return "not_an_image";
    case MrzReadOutcome::OcrUnavailable:
      return "ocr_unavailable";
  }
  return "unknown";
}

MrzReading read_mrz(const cv::Mat& image, const MrzReaderOptions& options) {
  MrzReading reading;
  const cv::Mat grey = image.empty() ? cv::Mat() : to_grey(image);
  if (grey.empty() || static_cast<long long>(grey.total()) > options.max_pixels) {
    reading.outcome = MrzReadOutcome::NotAnImage;
    return reading;
  }

  const auto start = Clock::now();
  const std::vector<MrzZone> zones = locate_mrz(grey, options);
  reading.timings.find_us = micros_since(start);
  if (zones.empty()) return reading;
  reading.found = true;
  reading.outcome = MrzReadOutcome::Unreadable;

  // From the likeliest reading to the least likely, stopping at the first whose every check
  // digit verifies: the best zone upright, then upside down, then the next zone.
  MrzOcr* engine = nullptr;
  try {
    engine = &MrzOcr::for_this_thread(options);
  } catch (const std::exception& e) {  // a deployment without the language data
    reading.outcome = MrzReadOutcome::OcrUnavailable;
    reading.problem = e.what();
    return reading;
  }
  MrzOcr& ocr = *engine;
  std::optional<MrzCandidate> best;
  const MrzZone* best_zone = nullptr;
  bool best_flipped = false;
  for (const MrzZone& zone : zones) {
    for (bool flipped : {false, true}) {
      std::optional<MrzCandidate> candidate = read_zone(zone, flipped, ocr, options, reading);
      if (candidate && (!best || better_reading(*candidate, *best))) {
        best = std::move(candidate);
        best_zone = &zone;
        best_flipped = flipped;
      }
      if (best && best->result.valid) break;
    }
    if (best && best->result.valid) break;
  }
  if (!best) return reading;

  reading.outcome = best->result.valid ? MrzReadOutcome::Valid : MrzReadOutcome::ChecksFailed;
  reading.lines_read = std::move(best->read);
  reading.lines = std::move(best->lines);
  for (size_t line = 0; line < reading.lines.size(); ++line)
    for (size_t column = 0; column < reading.lines[line].size(); ++column)
      if (reading.lines[line][column] != reading.lines_read[line][column])
        reading.corrections.push_back({static_cast<int>(line), static_cast<int>(column),
                                       reading.lines_read[line][column],
                                       reading.lines[line][column]});
  reading.mrz = std::move(best->result);
  reading.confidence = best->confidence;
  reading.zone = best_zone->box;
  reading.quarter_turns = best_zone->quarter_turns;
  reading.upside_down = best_flipped;
  return reading;
}

MrzReading read_mrz(std::span<const unsigned char> encoded, const MrzReaderOptions& options) {
  MrzReading reading;
  reading.outcome = MrzReadOutcome::NotAnImage;
  if (encoded.empty()) return reading;
  const cv::Mat buffer(1, static_cast<int>(encoded.size()), CV_8UC1,
                       const_cast<unsigned char*>(encoded.data()));
  const cv::Mat image = cv::imdecode(buffer, cv::IMREAD_COLOR);
  if (image.empty()) return reading;
  return read_mrz(image, options);
}

}  // namespace kyc::text
