// The facts a KYC check needs from a parsed AAMVA file (aamva.h): who the holder is, which
// document it is and when it is valid. Where the element for a fact changed between versions
// of the standard, the rules are stated at each fact below.
#pragma once

#include <boost/system/result.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/aamva/aamva.h"

namespace kyc::text {

// Dates are 8 digits in one of two orders:
//  - version 1 (DL/ID-2000) writes every date CCYYMMDD;
//  - version 2 (CDS 2003) writes MMDDCCYY. Readers such as DLParser treat Canadian cards of
//    this version the same way; we follow them, as the 2003 text is not at hand;
//  - from version 3 (CDS 2005) on, MMDDCCYY for the USA and CCYYMMDD for Canada, told apart
//    by the country element DCG ("USA"/"CAN"), or by the jurisdiction code when DCG is absent.
enum class AamvaDateOrder { YearFirst, MonthFirst };

AamvaDateOrder date_order_for(int aamva_version, std::string_view country);
// Days since 1970-01-01, or nullopt unless 8 digits forming a real date in that order.
std::optional<int32_t> parse_aamva_date(std::string_view text, AamvaDateOrder order);

struct AamvaLicence {
  // Trailing padding spaces removed.
  std::string family_name;      // DCS; version 1: DAB, or the first part of DAA "FAMILY,GIVEN,..."
  std::string given_names;      // DCT (versions 2-3, commas read as spaces), else DAC + " " + DAD;
                                // version 1 without DAC: the remaining parts of DAA
  std::string document_number;  // DAQ, the customer id number
  std::optional<int32_t> birth_date;   // DBB
  std::optional<int32_t> expiry_date;  // DBA
  std::optional<int32_t> issue_date;   // DBD
  std::string address;                 // DAG, street
  std::string city;                    // DAI
  std::string jurisdiction;            // DAJ, state or province code
  std::string postal_code;             // DAK
  std::string sex;                     // DBC: "M", "F", "X" (not specified) as printed on the card
  std::string country;                 // DCG; else "CAN" or "USA" from DAJ; else ""
  AamvaDateOrder date_order = AamvaDateOrder::MonthFirst;
  // Elements present but unreadable (a date that is no date), each with its offset.
  std::vector<AamvaError> problems;
};

// Reads the DL subfile, or the ID subfile of an identification card; an error if neither.
boost::system::result<AamvaLicence, AamvaError> read_licence(const AamvaFile& file);

}  // namespace kyc::text
