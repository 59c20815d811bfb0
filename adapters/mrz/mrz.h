// Reads the machine readable zone of a travel or identity document (ICAO 9303) into its
// fields and says which check digits verify. Bad input is a value: text that is not an MRZ at
// all gives MrzParseError; an MRZ with wrong check digits or stray characters parses, with
// `valid` false and the failures listed.
#pragma once

#include <boost/system/result.hpp>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "adapters/mrz/mrz_checks.h"
#include "adapters/mrz/mrz_layout.h"

namespace kyc::text {

struct MrzResult {
  MrzFormat format = MrzFormat::TD3;

  // Field values with the filler '<' read as a space and trimmed. Dates stay YYMMDD as
  // printed (see mrz_date.h to resolve the century); sex is "M", "F", "X" or "" (unspecified).
  std::string document_code;
  std::string issuing_state;
  std::string document_number;  // TD1/TD2: with the continuation of a long number
  std::string nationality;
  std::string birth_date;
  std::string expiry_date;
  std::string sex;
  std::string surname;          // primary identifier
  std::string given_names;      // secondary identifier, names separated by one space
  std::string optional_data;    // as printed, so it may begin with a long number's continuation
  std::string optional_data_2;  // TD1 line 2
  std::string personal_number;  // TD3
  std::vector<std::pair<MrzFieldId, std::string>> national_fields;  // French and Swiss layouts

  std::vector<MrzCheckDigit> check_digits;  // in document order
  std::vector<MrzCheck> failed_checks;
  int checks_failed = 0;
  // Fields holding characters their type does not allow (a digit in a name, '?' anywhere).
  std::vector<MrzFieldId> malformed_fields;
  bool charset_valid = false;  // every character is in [A-Z0-9<]
  bool valid = false;          // charset_valid and every check digit verifies

  const MrzCheckDigit* find_check(MrzCheck check) const;
  const std::string* national_field(MrzFieldId field) const;
};

boost::system::result<MrzResult, MrzParseError> parse_mrz(std::span<const std::string> lines);

// A field value: '<' read as a space, surrounding spaces trimmed.
std::string clean_mrz_text(std::string_view text);
// A name part: runs of '<' read as one space, trimmed.
std::string clean_mrz_name(std::string_view text);

}  // namespace kyc::text
