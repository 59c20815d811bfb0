#include "server/console/console_assets.h"

#include <utility>

namespace kyc::server::console {

// Defined in the generated console_assets_data.cc.
extern const std::pair<std::string_view, std::string_view> kAssets[];
extern const unsigned kAssetCount;

namespace {

std::string_view content_type(std::string_view path) {
  if (path.ends_with(".html")) return "text/html; charset=utf-8";
  if (path.ends_with(".css")) return "text/css; charset=utf-8";
  if (path.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (path.ends_with(".svg")) return "image/svg+xml";
  return "application/octet-stream";
}

}  // namespace

std::optional<Asset> find_asset(std::string_view path) {
  if (path.empty()) path = "index.html";
  for (unsigned i = 0; i < kAssetCount; ++i)
    if (kAssets[i].first == path) return Asset{content_type(path), kAssets[i].second};
  return std::nullopt;
}

}  // namespace kyc::server::console
