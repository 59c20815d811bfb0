// Every limit and tuning knob of reading an MRZ from a photo, with its default, in one place.
#pragma once

#include <string>

namespace kyc::text {

struct MrzReaderOptions {
  // Locating the zone. The photo is scaled so that its longer side is `working_size` pixels
  // (upscaled too, so small photos get the same kernels as large ones).
  int working_size = 1000;
  // At most this many candidate zones are handed to OCR, best first.
  int max_zones = 3;
  // Rotate the photo a quarter turn when no zone lies along its width (a page photographed
  // sideways); costs one more locator pass, no OCR unless the zone is found that way.
  bool try_quarter_turn = true;
  // A zone slanted more than this is searched again on the photo turned level.
  double max_unlevelled_skew_deg = 2.0;

  // A line longer than this many of its character heights is no MRZ line: 44 OCR-B
  // characters at ICAO 9303's 2.54 mm pitch, about 2.3 mm tall, are 48 heights long. Scaled to
  // `ocr_char_height`, a stripe pattern's "line" of 4,000 px with 3 px "characters" was 48,000
  // px wide, and OCR of it took seconds (18 s for one 45 KB photo of stripes).
  double max_line_heights = 72;

  // OCR. Each line is scaled so that its characters are this tall before Tesseract sees it;
  // the LSTM model reads best at 30-40 px.
  int ocr_char_height = 36;
  // Upper bound on the OCR passes (a pass = one zone, one orientation, one preprocessing,
  // every line): each pass costs 50-150 ms on one core.
  int max_ocr_passes = 8;
  // Tesseract's data: empty means its compiled-in default (or $TESSDATA_PREFIX).
  std::string tessdata_dir;
  std::string language = "eng";

  // Images larger than this many pixels are refused before decoding work is done on them.
  long long max_pixels = 40'000'000;
};

}  // namespace kyc::text
