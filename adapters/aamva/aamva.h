// The text a PDF417 reader decodes from a North American driver's licence or ID card, laid out
// by the AAMVA DL/ID Card Design Standard (Annex D), versions 1 (DL/ID-2000) to 10 (CDS 2020):
//
//   header       "@" LF RS CR, file type "ANSI " ("AAMVA" on some older cards), issuer
//                identification number (6 digits), AAMVA version (2), jurisdiction version (2,
//                only from version 2 on), number of entries (2)
//   designators  per entry: subfile type (2), offset (4 digits), length (4 digits); offset and
//                length count characters from the start of the payload
//   subfiles     the type again, then data elements (3-character id + value) separated by LF,
//                ending with the segment terminator CR
//
// Nothing here trusts the payload: every offset and length is checked against its size, and
// what does not fit the layout comes back as an AamvaError naming the character offset.
#pragma once

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kyc::text {

struct AamvaHeader {
  std::string file_type;         // "ANSI " or "AAMVA"
  int issuer_id = 0;             // IIN: identifies the issuing jurisdiction
  int aamva_version = 0;         // 1..10
  int jurisdiction_version = 0;  // 0 below version 2, where the field does not exist
  int number_of_entries = 0;
};

struct AamvaSubfileDesignator {
  std::string subfile_type;  // "DL", "ID", or "Z?" for a jurisdiction's own subfile
  int offset = 0;
  int length = 0;
};

struct AamvaDataElement {
  std::string id;     // "DAQ", "DCS", ...
  std::string value;  // exactly as encoded, trailing spaces included
  size_t offset = 0;  // of the id in the payload
};

struct AamvaSubfile {
  std::string subfile_type;
  std::vector<AamvaDataElement> elements;  // in payload order

  // The first element with this id, or nullptr.
  const AamvaDataElement* find(std::string_view id) const;
};

struct AamvaFile {
  AamvaHeader header;
  std::vector<AamvaSubfileDesignator> designators;
  std::vector<AamvaSubfile> subfiles;  // one per designator, same order

  const AamvaSubfile* find_subfile(std::string_view subfile_type) const;
};

struct AamvaError {
  size_t offset = 0;  // character offset in the payload
  std::string message;
};
// Result::value() on an error throws this (found by argument-dependent lookup).
[[noreturn]] void throw_exception_from_error(const AamvaError& e,
                                             const boost::source_location& where);

constexpr int kAamvaOldestVersion = 1;
constexpr int kAamvaNewestVersion = 10;

boost::system::result<AamvaFile, AamvaError> parse_aamva(std::string_view payload);

}  // namespace kyc::text
