// Where each field of a machine readable zone sits, per document format (ICAO 9303 Parts 4-7
// for TD1, TD2, TD3 and the visas, plus three national layouts that share the OCR-B line
// style), and how a set of lines is recognised as one of them.
//
// Positions are 0-based: `line` indexes the input lines, `start` the characters of that line.
#pragma once

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kyc::text {

enum class MrzFormat {
  TD1,                   // 3 x 30, identity cards (Part 5)
  TD2,                   // 2 x 36, identity cards (Part 6)
  TD3,                   // 2 x 44, passports (Part 4)
  MRVA,                  // 2 x 44, visa on a passport page (Part 7), document code 'V'
  MRVB,                  // 2 x 36, smaller visa (Part 7), document code 'V'
  FrenchNationalId,      // 2 x 36 starting "IDFRA", the French identity card before 2021
  FrenchDrivingLicence,  // 1 x 30, the French driving licence
  SwissDrivingLicence,   // 9 + 30 + 30, the Swiss driving licence
};

// The names the shared test vectors use: "TD1", "MRVA", "FRENCH_NATIONAL_ID", ...
std::string_view format_name(MrzFormat format);

// Input that cannot be read as any MRZ at all (wrong number of lines, wrong lengths).
struct MrzParseError {
  int line = 0;    // 0-based line the problem was found on
  int column = 0;  // 0-based column: where a line ended or should have ended
  std::string message;
};
// Result::value() on an error throws this (found by argument-dependent lookup).
[[noreturn]] void throw_exception_from_error(const MrzParseError& e,
                                             const boost::source_location& where);

// What a field may hold besides the filler '<'; drives both validation and OCR repair.
enum class CharClass { Alpha, Numeric, Alnum, Sex };

enum class MrzFieldId {
  DocumentCode,
  IssuingState,
  DocumentNumber,
  Nationality,
  BirthDate,
  Sex,
  ExpiryDate,
  Names,  // primary identifier << secondary identifier
  Surname,
  GivenNames,
  OptionalData,
  OptionalData2,
  PersonalNumber,
  // National layouts only.
  IssueDate,            // French identity card: YYMM
  AdministrativeCode,   // French identity card, end of the first line
  AdministrativeCode2,  // French identity card: issuing department, prefix of the card number
  LanguageCode,         // Swiss driving licence
  PinCode,              // Swiss driving licence
  VersionNumber,        // Swiss driving licence
};

std::string_view field_name(MrzFieldId field);

struct MrzSpan {
  int line = 0;
  int start = 0;
  int length = 0;
};

struct MrzFieldSpec {
  MrzFieldId id;
  MrzSpan span;
  CharClass chars;
};

enum class MrzCheck { DocumentNumber, BirthDate, ExpiryDate, PersonalNumber, Composite };

std::string_view check_name(MrzCheck check);

struct MrzCheckSpec {
  MrzCheck check;
  MrzSpan digit;               // length 1
  std::vector<MrzSpan> input;  // concatenated in order
  // TD3 personal number: '<' instead of a digit is correct when the field is all fillers.
  bool filler_allowed_when_input_empty = false;
};

struct MrzLayout {
  MrzFormat format;
  std::vector<int> line_lengths;
  std::vector<MrzFieldSpec> fields;
  std::vector<MrzCheckSpec> checks;  // in document order; the composite comes last
  // TD1 and TD2: a document number longer than 9 characters continues in this span (the
  // optional data) when the number's check digit position holds '<'.
  bool long_document_number = false;
  MrzSpan document_number_continuation = {};
};

const MrzLayout& layout_of(MrzFormat format);

// Recognises the format from the number of lines, their lengths and the document code. The
// code is compared through the OCR confusions (a '1' where an 'I' belongs), so that text
// still to be repaired is recognised the same way as the repaired text.
boost::system::result<MrzFormat, MrzParseError> detect_format(std::span<const std::string> lines);

}  // namespace kyc::text
