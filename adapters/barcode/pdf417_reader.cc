#define ZX_USE_UTF8 1
#include "adapters/barcode/pdf417_reader.h"

#include <ZXing/ReadBarcode.h>

#include <opencv2/imgproc.hpp>

namespace kyc::barcode {

std::optional<std::string> read_pdf417(const cv::Mat& image) {
  if (image.empty()) return std::nullopt;
  cv::Mat grey;
  if (image.channels() == 3)
    cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
  else
    grey = image;
  if (!grey.isContinuous()) grey = grey.clone();
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::PDF417);
  hints.setTryHarder(true);
  hints.setTryRotate(true);
  ZXing::ImageView view(grey.data, grey.cols, grey.rows, ZXing::ImageFormat::Lum,
                        static_cast<int>(grey.step));
  ZXing::Result result = ZXing::ReadBarcode(view, hints);
  if (!result.isValid()) return std::nullopt;
  // AAMVA payloads are ASCII with control separators (LF, RS, CR): the raw bytes, not a
  // character-set guess, are the payload.
  const ZXing::ByteArray& bytes = result.bytes();
  return std::string(bytes.begin(), bytes.end());
}

}  // namespace kyc::barcode
