#include "adapters/photos/photo_facts.h"

#include <boost/json.hpp>

#include "common/utf8.h"

namespace kyc::photos {

PhotoFacts read_photos(std::string_view front, std::string_view back, int32_t today,
                       const image::ImageOptions& options) {
  PhotoFacts p;
  common::StageClock clock(p.times);
  p.front = image::analyze_image(front, options);
  image::add_facts(p.front, p.facts);
  clock.lap("front image");
  if (!back.empty()) {
    p.back = image::analyze_image(back, options);
    image::add_facts(p.back, p.facts, "back.");
    // The file checks read file.*: the worse of the two sides is what the policy sees there
    // (the back's own facts stay under back.*).
    if (p.back.format != "jpeg" && p.back.format != "png") p.facts["file.format"] = p.back.format;
    if (p.back.bytes > p.front.bytes) p.facts["file.bytes"] = p.back.bytes;
    clock.lap("back image");
  }
  // The text on the document, read from the rectified document (or the whole working copy
  // when no outline was found), and from the whole photo when that gives no valid MRZ.
  if (p.front.decodable)
    p.text_source = text::add_document_text_facts(
        p.front.crop.empty() ? p.front.working : p.front.crop, p.front.decoded,
        p.back.crop.empty() ? p.back.working : p.back.crop, today, p.facts);
  for (const auto& [stage, ms] : p.text_source.times.ms) p.times.add(stage, ms);
  // Every fact's text as UTF-8, whatever bytes the photo carried (EXIF tags, a barcode's
  // payload): the record's facts are JSON, and a stray byte once made them unparsable, so the
  // upload got 503 "retry later" on every retry.
  for (auto& [name, value] : p.facts)
    if (value.is_string() && !common::is_utf8(value.get_string()))
      value = common::repaired_utf8(value.get_string());
  // The decoded photos are large and needed no longer.
  p.front.decoded.release();
  p.back.decoded.release();
  return p;
}

}  // namespace kyc::photos
