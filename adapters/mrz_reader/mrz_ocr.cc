#include "adapters/mrz_reader/mrz_ocr.h"

#include <algorithm>
#include <stdexcept>

#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

namespace kyc::text {

namespace {

constexpr const char* kMrzAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";

// Word lists only bias the model toward English words; they are read at Init, so they are
// switched off there and not later.
const std::vector<std::string> kInitVariables = {"load_system_dawg",  "load_freq_dawg",
                                                 "load_punc_dawg",    "load_number_dawg",
                                                 "load_unambig_dawg", "load_bigram_dawg"};
const std::vector<std::string> kInitValues = {"0", "0", "0", "0", "0", "0"};

bool is_mrz_symbol(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<'; }

}  // namespace

MrzOcr& MrzOcr::for_this_thread(const MrzReaderOptions& options) {
  thread_local std::unique_ptr<MrzOcr> instance;
  if (!instance || instance->tessdata_dir_ != options.tessdata_dir ||
      instance->language_ != options.language)
    instance.reset(new MrzOcr(options.tessdata_dir, options.language));
  return *instance;
}

MrzOcr::MrzOcr(const std::string& tessdata_dir, const std::string& language)
    : api_(std::make_unique<tesseract::TessBaseAPI>()),
      tessdata_dir_(tessdata_dir),
      language_(language) {
  const char* path = tessdata_dir.empty() ? nullptr : tessdata_dir.c_str();
  if (api_->Init(path, language.c_str(), tesseract::OEM_LSTM_ONLY, nullptr, 0, &kInitVariables,
                 &kInitValues, false) != 0)
    throw std::runtime_error("Tesseract could not load language '" + language + "' from '" +
                             (path ? tessdata_dir : std::string("its default path")) + "'");
  api_->SetVariable("tessedit_char_whitelist", kMrzAlphabet);
  // The images are scaled to a known character height, so the resolution is only a hint
  // that keeps Tesseract from guessing (and warning).
  api_->SetVariable("user_defined_dpi", "300");
  api_->SetVariable("debug_file", "/dev/null");
  // Keep the model's runners-up per character: the check digits choose among them later.
  api_->SetVariable("lstm_choice_mode", "2");
}

MrzOcr::~MrzOcr() {
  if (api_) api_->End();
}

OcrLine MrzOcr::read_line(const cv::Mat& image) {
  std::vector<OcrLine> lines = recognise(image);
  OcrLine out;
  for (OcrLine& line : lines) {  // a single-line read still yields one line, or none
    out.text += line.text;
    out.symbols.insert(out.symbols.end(), line.symbols.begin(), line.symbols.end());
  }
  double sum = 0;
  for (const OcrSymbol& s : out.symbols) sum += s.confidence;
  out.confidence = out.symbols.empty() ? 0 : sum / static_cast<double>(out.symbols.size());
  return out;
}

std::vector<OcrLine> MrzOcr::recognise(const cv::Mat& image) {
  CV_Assert(image.type() == CV_8UC1);
  api_->SetPageSegMode(tesseract::PSM_SINGLE_LINE);
  api_->SetImage(image.data, image.cols, image.rows, 1, static_cast<int>(image.step));
  std::vector<OcrLine> lines;
  if (api_->Recognize(nullptr) != 0) return lines;

  std::unique_ptr<tesseract::ResultIterator> it(api_->GetIterator());
  if (!it) return lines;
  do {
    if (it->IsAtBeginningOf(tesseract::RIL_TEXTLINE) || lines.empty()) lines.emplace_back();
    std::unique_ptr<char[]> symbol(it->GetUTF8Text(tesseract::RIL_SYMBOL));
    if (!symbol || symbol[0] == '\0' || symbol[1] != '\0' || !is_mrz_symbol(symbol[0])) continue;
    int left = 0, top = 0, right = 0, bottom = 0;
    it->BoundingBox(tesseract::RIL_SYMBOL, &left, &top, &right, &bottom);
    const float confidence = std::clamp(it->Confidence(tesseract::RIL_SYMBOL) / 100.0f, 0.0f, 1.0f);
    OcrSymbol& out =
        lines.back().symbols.emplace_back(OcrSymbol{symbol[0], confidence, left, right, {}});
    tesseract::ChoiceIterator choice(*it);
    do {
      const char* text = choice.GetUTF8Text();
      if (!text || text[0] == '\0' || text[1] != '\0' || !is_mrz_symbol(text[0])) continue;
      // LSTM models report these on a 0-100 scale despite the header's 0-1.
      const float probability = std::clamp(choice.Confidence() / 100.0f, 0.0f, 1.0f);
      out.choices.push_back({text[0], probability});
    } while (choice.Next());
    std::stable_sort(out.choices.begin(), out.choices.end(),
                     [](const MrzCharChoice& a, const MrzCharChoice& b) {
                       return a.probability > b.probability;
                     });
    lines.back().text += symbol[0];
  } while (it->Next(tesseract::RIL_SYMBOL));

  std::erase_if(lines, [](const OcrLine& line) { return line.symbols.empty(); });
  for (OcrLine& line : lines) {
    double sum = 0;
    for (const OcrSymbol& s : line.symbols) sum += s.confidence;
    line.confidence = sum / static_cast<double>(line.symbols.size());
  }
  return lines;
}

}  // namespace kyc::text
