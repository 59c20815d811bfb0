// Tesseract, set up for the OCR-B lines of a machine readable zone: the MRZ alphabet only, no
// dictionaries (an MRZ holds no words), one instance per thread because TessBaseAPI is not
// thread-safe and loading the model costs far more than reading a line.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "adapters/mrz/mrz_choice_repair.h"
#include "adapters/mrz_reader/mrz_reader_options.h"

namespace tesseract {
class TessBaseAPI;
}

namespace kyc::text {

struct OcrSymbol {
  char character = '<';
  float confidence = 0;  // [0,1]
  int left = 0;          // x extent in the image given to the OCR
  int right = 0;
  std::vector<MrzCharChoice> choices;  // the model's readings of this glyph, likeliest first
};

struct OcrLine {
  std::string text;  // spaces removed
  std::vector<OcrSymbol> symbols;
  double confidence = 0;  // mean over the symbols, [0,1]
};

class MrzOcr {
 public:
  // The calling thread's instance, initialised on first use. Throws std::runtime_error when
  // Tesseract or its language data cannot be loaded (a broken installation, not bad input).
  static MrzOcr& for_this_thread(const MrzReaderOptions& options);

  ~MrzOcr();
  MrzOcr(const MrzOcr&) = delete;
  MrzOcr& operator=(const MrzOcr&) = delete;

  // `image`: 8-bit greyscale, dark text on light ground, one text line (page segmentation
  // mode 7: the lines are cut out beforehand, mrz_line_segmenter.h).
  OcrLine read_line(const cv::Mat& image);

 private:
  MrzOcr(const std::string& tessdata_dir, const std::string& language);
  std::vector<OcrLine> recognise(const cv::Mat& image);

  std::unique_ptr<tesseract::TessBaseAPI> api_;
  std::string tessdata_dir_;
  std::string language_;
};

}  // namespace kyc::text
