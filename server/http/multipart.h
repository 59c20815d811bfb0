// multipart/form-data (RFC 7578) bodies: the parts of an upload, as views into the body.
// Errors are values with the byte offset where the body stopped making sense.
#pragma once

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kyc::server {

struct FormPart {
  std::string name;          // from Content-Disposition: form-data; name="..."
  std::string filename;      // "" when the part is not a file
  std::string content_type;  // as declared (never trusted for files: the bytes are sniffed)
  std::string_view body;     // into the request body
};

struct MultipartError {
  size_t offset = 0;
  std::string message;
};
// Result::value() on an error throws this (found by argument-dependent lookup).
[[noreturn]] void throw_exception_from_error(const MultipartError& e,
                                             const boost::source_location& where);

struct MultipartLimits {
  size_t max_parts = 8;
  size_t max_part_headers = 4096;  // bytes of one part's header block
};

// The boundary parameter of a multipart/form-data content type, or nullopt.
std::optional<std::string> form_boundary(std::string_view content_type);

boost::system::result<std::vector<FormPart>, MultipartError> parse_multipart(
    std::string_view body, std::string_view boundary, const MultipartLimits& limits);

}  // namespace kyc::server
