#include "server/http/multipart.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace kyc::server {

void throw_exception_from_error(const MultipartError& e, const boost::source_location&) {
  throw std::runtime_error("multipart body, byte " + std::to_string(e.offset) + ": " + e.message);
}

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A parameter of a header value such as `form-data; name="front"; filename="a.jpg"`.
std::optional<std::string> parameter(std::string_view value, std::string_view key) {
  size_t at = 0;
  while ((at = value.find(';', at)) != std::string_view::npos) {
    std::string_view rest = trim(value.substr(at + 1));
    size_t eq = rest.find('=');
    if (eq != std::string_view::npos && lower(trim(rest.substr(0, eq))) == key) {
      std::string_view v = trim(rest.substr(eq + 1));
      if (!v.empty() && v.front() == '"') {
        std::string out;
        for (size_t i = 1; i < v.size() && v[i] != '"'; ++i) {
          if (v[i] == '\\' && i + 1 < v.size()) ++i;
          out += v[i];
        }
        return out;
      }
      return std::string(v.substr(0, v.find(';')));
    }
    ++at;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> form_boundary(std::string_view content_type) {
  std::string type = lower(trim(content_type.substr(0, content_type.find(';'))));
  if (type != "multipart/form-data") return std::nullopt;
  auto b = parameter(content_type, "boundary");
  // RFC 2046: 1 to 70 characters.
  if (!b || b->empty() || b->size() > 70) return std::nullopt;
  return b;
}

boost::system::result<std::vector<FormPart>, MultipartError> parse_multipart(
    std::string_view body, std::string_view boundary, const MultipartLimits& limits) {
  const std::string delimiter = "--" + std::string(boundary);
  const std::string next = "\r\n" + delimiter;
  // The preamble before the first delimiter is ignored (RFC 2046).
  size_t at = body.find(delimiter);
  if (at == std::string_view::npos) return MultipartError{0, "the boundary never appears"};
  if (at != 0 && (at < 2 || body.substr(at - 2, 2) != "\r\n"))
    return MultipartError{at, "the first boundary does not start a line"};
  at += delimiter.size();
  std::vector<FormPart> parts;
  while (true) {
    if (body.substr(at, 2) == "--") return parts;  // the close delimiter
    // Transport padding, then the line break that ends the delimiter line.
    while (at < body.size() && (body[at] == ' ' || body[at] == '\t')) ++at;
    if (body.substr(at, 2) != "\r\n")
      return MultipartError{at, "expected a line break after the boundary"};
    at += 2;
    if (parts.size() == limits.max_parts)
      return MultipartError{at, "more than " + std::to_string(limits.max_parts) + " parts"};
    // The header block ends with an empty line; a part may have no headers at all.
    size_t headers_end = body.substr(at, 2) == "\r\n" ? at : body.find("\r\n\r\n", at);
    if (headers_end == std::string_view::npos)
      return MultipartError{at, "a part's headers never end"};
    if (headers_end - at > limits.max_part_headers)
      return MultipartError{
          at, "a part's headers are over " + std::to_string(limits.max_part_headers) + " bytes"};
    size_t content = headers_end == at ? at + 2 : headers_end + 4;
    FormPart part;
    std::string_view headers = body.substr(at, headers_end - at);
    size_t line_start = 0;
    while (line_start < headers.size()) {
      size_t line_end = std::min(headers.find("\r\n", line_start), headers.size());
      std::string_view line = headers.substr(line_start, line_end - line_start);
      size_t colon = line.find(':');
      if (colon == std::string_view::npos)
        return MultipartError{at + line_start, "a part header line has no colon"};
      std::string key = lower(trim(line.substr(0, colon)));
      std::string_view value = trim(line.substr(colon + 1));
      if (key == "content-disposition") {
        if (lower(trim(value.substr(0, value.find(';')))) != "form-data")
          return MultipartError{at + line_start, "a part is not form-data"};
        part.name = parameter(value, "name").value_or("");
        part.filename = parameter(value, "filename").value_or("");
      } else if (key == "content-type") {
        part.content_type = std::string(value);
      }
      line_start = line_end + 2;
    }
    if (part.name.empty()) return MultipartError{at, "a part has no Content-Disposition name"};
    size_t end = body.find(next, content);
    if (end == std::string_view::npos)
      return MultipartError{content, "part \"" + part.name + "\" never ends (no closing boundary)"};
    part.body = body.substr(content, end - content);
    parts.push_back(std::move(part));
    at = end + next.size();
  }
}

}  // namespace kyc::server
