// A response as the bytes that go on the wire: status line, headers and body in one string,
// sent with one write. Beast's serializer walks a chain of buffer views for every response;
// on the evaluate path that cost about a tenth of the io thread, so responses are written here.
#pragma once

#include <string>
#include <string_view>

#include "server/http/http_types.h"

namespace kyc::server {

// `version` is 10 or 11. With keep_alive false the connection is announced closed; an HTTP/1.0
// client that asked to keep it gets `Connection: keep-alive`. Header values with CR or LF are
// dropped (they would split the response).
std::string wire_response(const HttpResponse& response, bool keep_alive, unsigned version,
                          std::string_view request_id);
// The same without the body (its length still announced): a large body is written after it,
// from where it is, a slice at a time.
std::string wire_head(const HttpResponse& response, bool keep_alive, unsigned version,
                      std::string_view request_id);

}  // namespace kyc::server
