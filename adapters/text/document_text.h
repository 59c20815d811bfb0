// What the document says, read from the photo: the machine-readable zone of passports and ID
// cards (Tesseract) and the PDF417 barcode on the back of driver's licences (zxing-cpp), as
// the facts the policy reads (document.*, mrz.*, ocr.*). Only what was actually read is
// reported: a field that could not be read, or whose check digit failed, is left out.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <opencv2/core.hpp>
#include <string>

#include "common/stage_times.h"

namespace kyc::text {

// Where the text was read from, for `kyc analyze`.
struct TextSource {
  std::string mrz;  // "document" (the rectified crop), "photo" (the whole photo), or ""
  common::StageTimes times;  // the barcode, the MRZ on the crop, the MRZ on the whole photo
};

// `front`: the rectified document (or the photo when none was found); `front_photo`: the whole
// photo, read as well when `front` gives no MRZ whose check digits all hold (empty: not
// tried); `back`: the back's rectified document or photo, or empty. `today` (days since
// 1970-01-01) resolves two-digit MRZ years.
TextSource add_document_text_facts(const cv::Mat& front, const cv::Mat& front_photo,
                                   const cv::Mat& back, int32_t today,
                                   boost::json::object& facts);

}  // namespace kyc::text
