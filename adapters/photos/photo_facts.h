// An upload's photos -> the policy's facts: the image adapter on each side (the back's facts
// under back.*) and the document's text read from the rectified sides. One place for the
// service (POST /v1/verifications) and `kyc analyze`, so that both see the same facts.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string_view>

#include "adapters/image/image_analysis.h"
#include "adapters/text/document_text.h"

namespace kyc::photos {

struct PhotoFacts {
  boost::json::object facts;
  image::ImageAnalysis front, back;  // kept for `kyc analyze --debug`
  text::TextSource text_source;      // where the MRZ was read: the document crop or the photo
  // Where the time went: each side's image analysis, then the text's stages (the access log
  // and /metrics report them for every upload).
  common::StageTimes times;
};

// `back` may be empty. `today` (days since 1970-01-01) resolves two-digit MRZ years.
PhotoFacts read_photos(std::string_view front, std::string_view back, int32_t today,
                       const image::ImageOptions& options = {});

}  // namespace kyc::photos
