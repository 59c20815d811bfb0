// multipart/form-data (RFC 7578) bodies: the parts of an upload, as views into the body.
// Errors are values with the byte offset where the body stopped making sense.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
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

struct MultipartLimits {
  size_t max_parts = 8;
  size_t max_part_headers = 4096;  // bytes of one part's header block
};

// The boundary parameter of a multipart/form-data content type, or nullopt.
std::optional<std::string> form_boundary(std::string_view content_type);

std::variant<std::vector<FormPart>, MultipartError> parse_multipart(std::string_view body,
                                                                    std::string_view boundary,
                                                                    const MultipartLimits& limits);

}  // namespace kyc::server
