#include "adapters/mrz/mrz_layout.h"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>

#include "adapters/mrz/ocr_confusion.h"

namespace kyc::text {

void throw_exception_from_error(const MrzParseError& e, const boost::source_location&) {
  throw std::runtime_error("not an MRZ: line " + std::to_string(e.line + 1) + ", column " +
                           std::to_string(e.column + 1) + ": " + e.message);
}

namespace {

using F = MrzFieldId;
using C = CharClass;

// The rows below transcribe ICAO 9303 Part 4 (TD3), Part 5 (TD1), Part 6 (TD2) and Part 7
// (MRV-A, MRV-B) with 1-based positions turned into 0-based starts; the national layouts
// follow the field positions stated in shared/data/README.md.

MrzLayout make_td1() {
  return {MrzFormat::TD1,
          {30, 30, 30},
          {{F::DocumentCode, {0, 0, 2}, C::Alpha},
           {F::IssuingState, {0, 2, 3}, C::Alpha},
           {F::DocumentNumber, {0, 5, 9}, C::Alnum},
           {F::OptionalData, {0, 15, 15}, C::Alnum},
           {F::BirthDate, {1, 0, 6}, C::Numeric},
           {F::Sex, {1, 7, 1}, C::Sex},
           {F::ExpiryDate, {1, 8, 6}, C::Numeric},
           {F::Nationality, {1, 15, 3}, C::Alpha},
           {F::OptionalData2, {1, 18, 11}, C::Alnum},
           {F::Names, {2, 0, 30}, C::Alpha}},
          {{MrzCheck::DocumentNumber, {0, 14, 1}, {{0, 5, 9}}},
           {MrzCheck::BirthDate, {1, 6, 1}, {{1, 0, 6}}},
           {MrzCheck::ExpiryDate, {1, 14, 1}, {{1, 8, 6}}},
           {MrzCheck::Composite, {1, 29, 1}, {{0, 5, 25}, {1, 0, 7}, {1, 8, 7}, {1, 18, 11}}}},
          true,
          {0, 15, 15}};
}

// TD2 and MRV-B share the second line up to the optional data; so do TD3 and MRV-A.
std::vector<MrzFieldSpec> second_line_fields(int optional_length, MrzFieldId optional_field) {
  return {{F::DocumentNumber, {1, 0, 9}, C::Alnum},
          {F::Nationality, {1, 10, 3}, C::Alpha},
          {F::BirthDate, {1, 13, 6}, C::Numeric},
          {F::Sex, {1, 20, 1}, C::Sex},
          {F::ExpiryDate, {1, 21, 6}, C::Numeric},
          {optional_field, {1, 28, optional_length}, C::Alnum}};
}

std::vector<MrzFieldSpec> first_line_fields(int line_length) {
  return {{F::DocumentCode, {0, 0, 2}, C::Alpha},
          {F::IssuingState, {0, 2, 3}, C::Alpha},
          {F::Names, {0, 5, line_length - 5}, C::Alpha}};
}

std::vector<MrzCheckSpec> second_line_checks() {
  return {{MrzCheck::DocumentNumber, {1, 9, 1}, {{1, 0, 9}}},
          {MrzCheck::BirthDate, {1, 19, 1}, {{1, 13, 6}}},
          {MrzCheck::ExpiryDate, {1, 27, 1}, {{1, 21, 6}}}};
}

MrzLayout make_two_line(MrzFormat format, int length) {
  const bool td3_size = length == 44;
  const bool visa = format == MrzFormat::MRVA || format == MrzFormat::MRVB;
  MrzLayout layout{format, {length, length}, first_line_fields(length), second_line_checks()};
  // A visa has no personal number and no composite check digit: its optional data runs to the
  // end of the line. A TD2 has 7 optional characters before the composite digit.
  const int optional_length = visa ? length - 28 : (td3_size ? 14 : 7);
  const auto optional_field = (td3_size && !visa) ? F::PersonalNumber : F::OptionalData;
  for (auto& f : second_line_fields(optional_length, optional_field)) layout.fields.push_back(f);
  if (visa) return layout;
  if (td3_size) {
    layout.checks.push_back({MrzCheck::PersonalNumber, {1, 42, 1}, {{1, 28, 14}}, true});
    layout.checks.push_back(
        {MrzCheck::Composite, {1, 43, 1}, {{1, 0, 10}, {1, 13, 7}, {1, 21, 22}}});
  } else {
    layout.checks.push_back(
        {MrzCheck::Composite, {1, 35, 1}, {{1, 0, 10}, {1, 13, 7}, {1, 21, 14}}});
    layout.long_document_number = true;
    layout.document_number_continuation = {1, 28, 7};
  }
  return layout;
}

MrzLayout make_french_national_id() {
  return {MrzFormat::FrenchNationalId,
          {36, 36},
          {{F::DocumentCode, {0, 0, 2}, C::Alpha},
           {F::IssuingState, {0, 2, 3}, C::Alpha},
           {F::Surname, {0, 5, 25}, C::Alpha},
           {F::AdministrativeCode, {0, 30, 6}, C::Alnum},
           {F::IssueDate, {1, 0, 4}, C::Numeric},
           {F::AdministrativeCode2, {1, 4, 3}, C::Alnum},
           {F::DocumentNumber, {1, 7, 5}, C::Alnum},
           {F::GivenNames, {1, 13, 14}, C::Alpha},
           {F::BirthDate, {1, 27, 6}, C::Numeric},
           {F::Sex, {1, 34, 1}, C::Sex}},
          // The card number's check digit covers issue date, department and sequence number.
          {{MrzCheck::DocumentNumber, {1, 12, 1}, {{1, 0, 12}}},
           {MrzCheck::BirthDate, {1, 33, 1}, {{1, 27, 6}}},
           {MrzCheck::Composite, {1, 35, 1}, {{0, 0, 36}, {1, 0, 35}}}}};
}

MrzLayout make_french_driving_licence() {
  return {MrzFormat::FrenchDrivingLicence,
          {30},
          // "D1" is the document code itself, so it is not read as letters only.
          {{F::DocumentCode, {0, 0, 2}, C::Alnum},
           {F::IssuingState, {0, 2, 3}, C::Alpha},
           {F::DocumentNumber, {0, 5, 9}, C::Alnum},
           {F::ExpiryDate, {0, 15, 6}, C::Numeric},
           {F::Surname, {0, 21, 8}, C::Alpha}},
          {{MrzCheck::DocumentNumber, {0, 14, 1}, {{0, 0, 14}}},
           {MrzCheck::Composite, {0, 29, 1}, {{0, 0, 29}}}}};
}

MrzLayout make_swiss_driving_licence() {
  return {MrzFormat::SwissDrivingLicence,
          {9, 30, 30},
          // The first line is the licence number; its 7th character is the language code, so
          // the two fields overlap (the language code's class wins for OCR repair).
          {{F::DocumentNumber, {0, 0, 9}, C::Alnum},
           {F::LanguageCode, {0, 6, 1}, C::Alpha},
           {F::DocumentCode, {1, 0, 2}, C::Alpha},
           {F::IssuingState, {1, 2, 3}, C::Alpha},
           {F::PinCode, {1, 5, 9}, C::Numeric},
           {F::VersionNumber, {1, 14, 3}, C::Numeric},
           {F::BirthDate, {1, 19, 6}, C::Numeric},
           {F::Names, {2, 0, 30}, C::Alpha}},
          {}};  // this licence carries no check digits
}

bool starts_as(std::string_view line, std::string_view code) {
  if (line.size() < code.size()) return false;
  for (size_t i = 0; i < code.size(); ++i)
    if (as_letter(line[i]) != code[i]) return false;
  return true;
}

std::optional<MrzFormat> format_by_size(std::span<const std::string> lines) {
  const std::string& first = lines[0];
  const bool visa = starts_as(first, "V");
  switch (lines.size()) {
    case 1:
      if (first.size() == 30) return MrzFormat::FrenchDrivingLicence;
      break;
    case 2:
      if (first.size() == 36) {
        if (starts_as(first, "IDFRA")) return MrzFormat::FrenchNationalId;
        return visa ? MrzFormat::MRVB : MrzFormat::TD2;
      }
      if (first.size() == 44) return visa ? MrzFormat::MRVA : MrzFormat::TD3;
      break;
    case 3:
      if (first.size() == 30) return MrzFormat::TD1;
      if (first.size() == 9) return MrzFormat::SwissDrivingLicence;
      break;
  }
  return std::nullopt;
}

std::string sizes_for_line_count(size_t count) {
  switch (count) {
    case 1:
      return "a one-line MRZ has 30 characters (French driving licence)";
    case 2:
      return "a two-line MRZ has 36 (TD2, MRV-B, French national ID) or 44 (TD3, MRV-A) "
             "characters per line";
    default:
      return "a three-line MRZ starts with a line of 30 (TD1) or 9 (Swiss driving licence) "
             "characters";
  }
}

}  // namespace

std::string_view format_name(MrzFormat format) {
  switch (format) {
    case MrzFormat::TD1:
      return "TD1";
    case MrzFormat::TD2:
      return "TD2";
    case MrzFormat::TD3:
      return "TD3";
    case MrzFormat::MRVA:
      return "MRVA";
    case MrzFormat::MRVB:
      return "MRVB";
    case MrzFormat::FrenchNationalId:
      return "FRENCH_NATIONAL_ID";
    case MrzFormat::FrenchDrivingLicence:
      return "FRENCH_DRIVING_LICENSE";
    case MrzFormat::SwissDrivingLicence:
      return "SWISS_DRIVING_LICENSE";
  }
  return "?";
}

std::string_view field_name(MrzFieldId field) {
  switch (field) {
    case F::DocumentCode:
      return "document_code";
    case F::IssuingState:
      return "issuing_state";
    case F::DocumentNumber:
      return "document_number";
    case F::Nationality:
      return "nationality";
    case F::BirthDate:
      return "birth_date";
    case F::Sex:
      return "sex";
    case F::ExpiryDate:
      return "expiry_date";
    case F::Names:
      return "names";
    case F::Surname:
      return "surname";
    case F::GivenNames:
      return "given_names";
    case F::OptionalData:
      return "optional_data";
    case F::OptionalData2:
      return "optional_data_2";
    case F::PersonalNumber:
      return "personal_number";
    case F::IssueDate:
      return "issue_date";
    case F::AdministrativeCode:
      return "administrative_code";
    case F::AdministrativeCode2:
      return "administrative_code_2";
    case F::LanguageCode:
      return "language_code";
    case F::PinCode:
      return "pin_code";
    case F::VersionNumber:
      return "version_number";
  }
  return "?";
}

std::string_view check_name(MrzCheck check) {
  switch (check) {
    case MrzCheck::DocumentNumber:
      return "document_number";
    case MrzCheck::BirthDate:
      return "birth_date";
    case MrzCheck::ExpiryDate:
      return "expiry_date";
    case MrzCheck::PersonalNumber:
      return "personal_number";
    case MrzCheck::Composite:
      return "composite";
  }
  return "?";
}

const MrzLayout& layout_of(MrzFormat format) {
  // Built once, on first use; function-local statics are initialised thread-safely.
  static const MrzLayout td1 = make_td1();
  static const MrzLayout td2 = make_two_line(MrzFormat::TD2, 36);
  static const MrzLayout td3 = make_two_line(MrzFormat::TD3, 44);
  static const MrzLayout mrva = make_two_line(MrzFormat::MRVA, 44);
  static const MrzLayout mrvb = make_two_line(MrzFormat::MRVB, 36);
  static const MrzLayout french_id = make_french_national_id();
  static const MrzLayout french_dl = make_french_driving_licence();
  static const MrzLayout swiss_dl = make_swiss_driving_licence();
  switch (format) {
    case MrzFormat::TD1:
      return td1;
    case MrzFormat::TD2:
      return td2;
    case MrzFormat::TD3:
      return td3;
    case MrzFormat::MRVA:
      return mrva;
    case MrzFormat::MRVB:
      return mrvb;
    case MrzFormat::FrenchNationalId:
      return french_id;
    case MrzFormat::FrenchDrivingLicence:
      return french_dl;
    case MrzFormat::SwissDrivingLicence:
      return swiss_dl;
  }
  return td3;
}

boost::system::result<MrzFormat, MrzParseError> detect_format(std::span<const std::string> lines) {
  if (lines.empty() || lines.size() > 3) {
    return MrzParseError{lines.empty() ? 0 : 3, 0,
                         "unrecognized document format: an MRZ has one, two or three lines, "
                         "found " +
                             std::to_string(lines.size())};
  }
  auto format = format_by_size(lines);
  if (!format) {
    const int length = static_cast<int>(lines[0].size());
    return MrzParseError{0, length,
                         "unrecognized document format: the first line has " +
                             std::to_string(length) + " characters, but " +
                             sizes_for_line_count(lines.size())};
  }
  const MrzLayout& layout = layout_of(*format);
  for (size_t i = 1; i < lines.size(); ++i) {
    const int expected = layout.line_lengths[i];
    const int length = static_cast<int>(lines[i].size());
    if (length != expected) {
      return MrzParseError{static_cast<int>(i), std::min(length, expected),
                           "this line has " + std::to_string(length) + " characters, but line " +
                               std::to_string(i + 1) + " of a " +
                               std::string(format_name(*format)) + " has " +
                               std::to_string(expected)};
    }
  }
  return *format;
}

}  // namespace kyc::text
