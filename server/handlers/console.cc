// GET /console/... (the web console's embedded files: no token, they hold no data) and
// GET /v1/me (who the console is signed in as: the token's name and roles).
#include <boost/json.hpp>

#include "server/console/console_assets.h"
#include "server/handlers/handlers.h"
#include "service/access_tokens.h"

namespace kyc::server {

HttpResponse console_file(const std::string& path) {
  auto asset = console::find_asset(path);
  if (!asset) return problem(404, "not-found", "Not found", "the console has no file " + path);
  HttpResponse r;
  r.content_type = std::string(asset->content_type);
  r.body = std::string(asset->bytes);
  // Scripts, styles and requests from the console's own origin only; never in a frame.
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'self'; frame-ancestors 'none'; base-uri 'none'");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  // Each binary embeds its files: revalidate, so a new version is seen after a restart.
  r.headers.emplace_back("Cache-Control", "no-cache");
  return r;
}

HttpResponse console_redirect() {
  HttpResponse r;
  r.status = 302;
  r.content_type = "text/plain";
  r.body = "the console is at /console/\n";
  r.headers.emplace_back("Location", "/console/");
  return r;
}

HttpResponse who_am_i(const std::string& name, uint8_t roles) {
  boost::json::array names;
  std::string list = service::role_names(roles);  // "evaluate,audit"
  for (size_t start = 0; start < list.size();) {
    size_t comma = std::min(list.find(',', start), list.size());
    names.push_back(boost::json::string(list.substr(start, comma - start)));
    start = comma + 1;
  }
  HttpResponse r;
  r.body = boost::json::serialize(boost::json::object{{"name", name}, {"roles", std::move(names)}});
  return r;
}

}  // namespace kyc::server
