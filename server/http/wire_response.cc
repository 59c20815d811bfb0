#include "server/http/wire_response.h"

#include <ostream>  // boost/core/string_view needs it before the beast header

#include <boost/beast/http/status.hpp>

namespace kyc::server {

namespace {

bool splits_lines(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

void header(std::string& out, std::string_view name, std::string_view value) {
  if (splits_lines(name) || splits_lines(value)) return;
  out.append(name).append(": ").append(value).append("\r\n");
}

}  // namespace

namespace {

// 1xx, 204 and 304 carry no body and so no length (RFC 9110 8.6).
bool bodiless(const HttpResponse& r) {
  return r.status < 200 || r.status == 204 || r.status == 304;
}

void write_head(std::string& out, const HttpResponse& r, bool keep_alive, unsigned version,
                std::string_view request_id) {
  namespace http = boost::beast::http;
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(r.status);
  out += ' ';
  out += http::obsolete_reason(static_cast<http::status>(r.status));
  out += "\r\n";
  header(out, "Server", "kycd");
  header(out, "Content-Type", r.content_type);
  // Every answer: a browser must not guess another type than the one declared (a JSON body
  // read as HTML would run what a caller put into it).
  header(out, "X-Content-Type-Options", "nosniff");
  if (!request_id.empty()) header(out, "X-Request-Id", request_id);  // none before a request
  for (const auto& [name, value] : r.headers) header(out, name, value);
  // A body made while it is sent: chunked (HTTP/1.1), or ended by the close (HTTP/1.0).
  if (r.stream && version != 10)
    header(out, "Transfer-Encoding", "chunked");
  else if (!bodiless(r) && !r.stream)
    header(out, "Content-Length", std::to_string(r.body.size()));
  if (version == 10 && keep_alive) header(out, "Connection", "keep-alive");
  if (version != 10 && !keep_alive) header(out, "Connection", "close");
  out += "\r\n";
}

}  // namespace

std::string wire_response(const HttpResponse& r, bool keep_alive, unsigned version,
                          std::string_view request_id) {
  std::string out;
  out.reserve(160 + r.body.size());
  write_head(out, r, keep_alive, version, request_id);
  if (!bodiless(r)) out += r.body;
  return out;
}

std::string wire_head(const HttpResponse& r, bool keep_alive, unsigned version,
                      std::string_view request_id) {
  std::string out;
  write_head(out, r, keep_alive, version, request_id);
  return out;
}

}  // namespace kyc::server
