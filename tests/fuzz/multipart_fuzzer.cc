// A multipart/form-data upload: the first line is the Content-Type header value, the rest the
// body. Hostile bodies must give parts or an error with an offset inside the body, never a crash.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "server/http/multipart.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t line = input.find('\n');
  if (line == std::string_view::npos) return 0;
  auto boundary = kyc::server::form_boundary(input.substr(0, line));
  if (!boundary) return 0;
  std::string_view body = input.substr(line + 1);
  auto parsed = kyc::server::parse_multipart(body, *boundary, {});
  if (!parsed) {
    if (parsed.error().offset > body.size() || parsed.error().message.empty()) std::abort();
  } else {
    for (const auto& part : *parsed) {
      // Every part is a view into the body.
      if (part.body.data() < body.data() ||
          part.body.data() + part.body.size() > body.data() + body.size())
        std::abort();
    }
  }
  return 0;
}
