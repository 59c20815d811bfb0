// The PDF417 barcode on the back of a North American driver's licence (zxing-cpp), read from
// a photo: its text, which the AAMVA parser (adapters/aamva/aamva.h) turns into fields.
#pragma once

#include <opencv2/core.hpp>
#include <optional>
#include <string>

namespace kyc::barcode {

// The decoded text of the first PDF417 symbol found in `image` (8-bit grey or BGR), trying
// harder (rotations, finer binarisation) than a scanner app would: a photo is not a scan.
std::optional<std::string> read_pdf417(const cv::Mat& image);

}  // namespace kyc::barcode
