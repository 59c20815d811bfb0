#include "adapters/text/document_text.h"

#include <algorithm>
#include <boost/json.hpp>
#include <optional>
#include <string>

#include "adapters/aamva/aamva.h"
#include "adapters/aamva/aamva_licence.h"
#include "adapters/barcode/pdf417_reader.h"
#include "adapters/mrz/mrz_date.h"
#include "adapters/mrz/mrz_layout.h"
#include "adapters/mrz_reader/mrz_reader.h"
#include "common/civil_date.h"

namespace kyc::text {

namespace {

// ICAO 9303 document codes: P passports, I/A/C identity cards, V visas. Any other first letter
// is a misread (a blurred or glared zone), not a document of another type: no type is reported
// then, so that the policy asks for a better photo instead of refusing the document's type.
std::optional<std::string> document_type(const std::string& code) {
  if (code.empty()) return std::nullopt;
  switch (code[0]) {
    case 'P':
      return "passport";
    case 'I':
    case 'A':
    case 'C':
      return "id_card";
    case 'V':
      return "visa";
    default:
      return std::nullopt;
  }
}

bool verified(const MrzResult& m, MrzCheck check) {
  const MrzCheckDigit* c = m.find_check(check);
  return c && c->verified;
}

std::string full_name(const std::string& surname, const std::string& given) {
  return given.empty() ? surname : surname.empty() ? given : surname + " " + given;
}

bool malformed(const MrzResult& m, MrzFieldId field) {
  return std::find(m.malformed_fields.begin(), m.malformed_fields.end(), field) !=
         m.malformed_fields.end();
}

// Some national layouts (the Swiss and French driving licences) have no sex field at all,
// which is not the same as a sex written as unspecified.
bool has_field(const MrzResult& m, MrzFieldId field) {
  const auto& fields = layout_of(m.format).fields;
  return std::any_of(fields.begin(), fields.end(),
                     [field](const MrzFieldSpec& f) { return f.id == field; });
}

// A state as the policy compares it: the ICAO 9303 three-letter code. Germany alone writes a
// one-letter code, `D` (ICAO 9303 Part 3 allows it); read as `DEU` so that one rule or table
// row covers every German document. Other codes, UN and refugee ones included, stay as read.
std::string icao_state(const std::string& code) { return code == "D" ? "DEU" : code; }

// ICAO 9303 writes `<` for "unspecified", which the policy sees as "X", as on the licences.
std::string icao_sex(const std::string& code) { return code.empty() ? "X" : code; }

void add_mrz_facts(const MrzReading& r, int32_t today, boost::json::object& f) {
  // Nothing was read: the MRZ facts stay missing, so the rules on them are undetermined rather
  // than told that a zone which may be perfect is invalid.
  if (r.outcome == MrzReadOutcome::OcrUnavailable) return;
  f["mrz.present"] = r.found;
  if (!r.found) return;
  f["mrz.valid"] = r.outcome == MrzReadOutcome::Valid;
  f["ocr.confidence"] = r.confidence;
  if (!r.mrz) {
    f["ocr.name_visible"] = false;
    f["ocr.number_visible"] = false;
    return;
  }
  const MrzResult& m = *r.mrz;
  f["mrz.checks_failed"] = m.checks_failed;
  if (auto type = document_type(m.document_code)) f["document.type"] = *type;
  // No check digit covers the states or the sex: a field with a character its type does not
  // allow is a misread and is left out.
  if (!m.issuing_state.empty() && !malformed(m, MrzFieldId::IssuingState))
    f["document.issuer"] = icao_state(m.issuing_state);
  if (!m.nationality.empty() && !malformed(m, MrzFieldId::Nationality))
    f["document.nationality"] = icao_state(m.nationality);
  if (has_field(m, MrzFieldId::Sex) && !malformed(m, MrzFieldId::Sex))
    f["document.sex"] = icao_sex(m.sex);
  bool name = !m.surname.empty() && m.surname.find('?') == std::string::npos;
  f["ocr.name_visible"] = name;
  if (name) f["document.name"] = full_name(m.surname, m.given_names);
  // Numbers and dates count only with their check digit: a misread is worse than nothing.
  bool number = verified(m, MrzCheck::DocumentNumber);
  f["ocr.number_visible"] = number;
  if (number) f["document.number"] = m.document_number;
  if (verified(m, MrzCheck::ExpiryDate))
    if (auto d = resolve_expiry_date(m.expiry_date, today))
      f["document.expiry"] = common::format_date(*d);
  if (verified(m, MrzCheck::BirthDate))
    if (auto d = resolve_birth_date(m.birth_date, today))
      f["document.birth_date"] = common::format_date(*d);
}

// A licence's barcode carries no check digits; the AAMVA layout itself is the check.
bool add_licence_facts(const cv::Mat& side, boost::json::object& f) {
  auto text = barcode::read_pdf417(side);
  f["barcode.present"] = text.has_value();
  if (!text) return false;
  auto file = parse_aamva(*text);
  if (!file) return false;
  auto licence = read_licence(*file);
  if (!licence) return false;
  const AamvaLicence& l = *licence;
  // The expiry date (DBA) is mandatory in every version of the standard. Without one that
  // reads as a date, the layout fails its check: the licence is not taken as read, rather
  // than passed as one that never expires (the type stays missing, so a person looks).
  if (!l.expiry_date) return false;
  f["document.type"] = "drivers_license";
  f["ocr.name_visible"] = !l.family_name.empty();
  f["ocr.number_visible"] = !l.document_number.empty();
  if (!l.family_name.empty()) f["document.name"] = full_name(l.family_name, l.given_names);
  if (!l.document_number.empty()) f["document.number"] = l.document_number;
  if (l.expiry_date) f["document.expiry"] = common::format_date(*l.expiry_date);
  if (l.birth_date) f["document.birth_date"] = common::format_date(*l.birth_date);
  // A licence names no nationality (a resident alien holds one too): the issuing country is
  // the issuer, and document.nationality stays missing.
  if (!l.country.empty()) f["document.issuer"] = l.country;
  if (l.sex == "M" || l.sex == "F" || l.sex == "X") f["document.sex"] = l.sex;
  f["ocr.confidence"] = 1.0;  // decoded with Reed-Solomon error correction, not recognised
  return true;
}

// Whether reading `b` is better than reading `a`: every check digit holding beats anything,
// then a zone read as an MRZ layout beats none, then fewer failed check digits.
bool better_reading(const MrzReading& b, const MrzReading& a) {
  if ((b.outcome == MrzReadOutcome::Valid) != (a.outcome == MrzReadOutcome::Valid))
    return b.outcome == MrzReadOutcome::Valid;
  if (b.mrz.has_value() != a.mrz.has_value()) return b.mrz.has_value();
  return b.mrz && a.mrz && b.mrz->checks_failed < a.mrz->checks_failed;
}

}  // namespace

TextSource add_document_text_facts(const cv::Mat& front, const cv::Mat& front_photo,
                                   const cv::Mat& back, int32_t today,
                                   boost::json::object& facts) {
  TextSource source;
  common::StageClock clock(source.times);
  if (!back.empty()) {
    bool licence = add_licence_facts(back, facts);
    clock.lap("barcode");
    if (licence) return source;
  }
  if (front.empty()) return source;
  MrzReading reading = read_mrz(front);
  clock.lap("mrz on the document");
  source.mrz = "document";
  // The outline may have cut through the zone or followed something else: the whole photo,
  // which the reader alone reads well, gets its chance, and the better reading is kept.
  if (reading.outcome != MrzReadOutcome::Valid &&
      reading.outcome != MrzReadOutcome::OcrUnavailable && !front_photo.empty() &&
      front_photo.data != front.data) {
    MrzReading whole = read_mrz(front_photo);
    clock.lap("mrz on the photo");
    if (better_reading(whole, reading)) {
      reading = std::move(whole);
      source.mrz = "photo";
    }
  }
  add_mrz_facts(reading, today, facts);
  return source;
}

}  // namespace kyc::text
