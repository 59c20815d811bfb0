// The console's files, embedded at build time (see CMakeLists.txt here): looked up by their
// path under /console/.
#pragma once

#include <optional>
#include <string_view>

namespace kyc::server::console {

struct Asset {
  std::string_view content_type;
  std::string_view bytes;
};

// The file at `path` ("" or "index.html" for the page itself, "app.js", "vendor/..."), or none.
std::optional<Asset> find_asset(std::string_view path);

}  // namespace kyc::server::console
