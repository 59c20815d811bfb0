// GET /openapi.json: the API description is the checked-in docs/openapi.json, embedded at
// build time with the project's version (server/CMakeLists.txt). tests/server/openapi_test.cc
// checks it against the route table both ways; CI validates it against the OpenAPI 3.1 schema.
#include <string>
#include <string_view>

#include "server/api.h"

namespace kyc::server {

extern const std::string_view kOpenApiDocument;

HttpResponse handle_openapi(Api&, const HttpRequest&, Roles, RequestNotes&) {
  HttpResponse r;
  r.body = std::string(kOpenApiDocument);
  return r;
}

}  // namespace kyc::server
