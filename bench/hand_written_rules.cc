#include "hand_written_rules.h"

#include <boost/json/parse.hpp>

#include "common/civil_date.h"

namespace kyc::bench {

Submission parse_submission(std::string_view json_line) {
  auto j = boost::json::parse(json_line).as_object();
  auto& file = j["file"].as_object();
  auto& image = j["image"].as_object();
  auto& doc = j["document"].as_object();
  auto& ocr = j["ocr"].as_object();
  auto& primary = j["primary"].as_object();
  auto num = [](const boost::json::value& v) {
    return v.is_double() ? v.as_double() : static_cast<double>(v.as_int64());
  };
  Submission s;
  s.format = file["format"].as_string();
  s.bytes = file["bytes"].as_int64();
  s.blur = num(image["blur"]);
  s.glare = num(image["glare"]);
  s.brightness = num(image["brightness"]);
  s.screen = num(image["screen"]);
  s.copy = num(image["copy"]);
  s.cut_off = doc["cut_off"].as_bool();
  s.type = doc["type"].as_string();
  s.name = doc["name"].as_string();
  s.number = doc["number"].as_string();
  s.expiry = *common::parse_date(doc["expiry"].as_string());
  s.confidence = num(ocr["confidence"]);
  s.name_visible = ocr["name_visible"].as_bool();
  s.number_visible = ocr["number_visible"].as_bool();
  s.document_accounts = j["account"].as_object()["document_accounts"].as_int64();
  s.primary_name = primary["name"].as_string();
  s.primary_number = primary["number"].as_string();
  s.today = *common::parse_date(j["today"].as_string());
  return s;
}

int fired_reasons(const Submission& s) {
  int n = 0;
  n += s.blur < 100 || s.confidence < 0.6;
  n += !(s.type == "id_card" || s.type == "passport" || s.type == "drivers_license");
  n += s.document_accounts >= 3;
  n += s.expiry < s.today;
  n += s.screen > 0.7 || s.copy > 0.7;
  n += !s.name_visible || !s.number_visible || s.cut_off;
  n += s.primary_name != s.name || s.primary_number != s.number;
  n += !(s.format == "jpeg" || s.format == "png");
  n += s.bytes > 5 * 1024 * 1024;
  n += s.glare > 0.05 || s.brightness < 40 || s.brightness > 230;
  return n;
}

}  // namespace kyc::bench
