#include "store/location.h"

#include <filesystem>

namespace kyc::store {

namespace {

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

common::Result<StoreLocation> parse_store_location(const std::string& store,
                                                   const std::string& data_dir) {
  StoreLocation where;
  if (store.empty()) {
    where.sqlite_dir = data_dir;
    return where;
  }
  if (starts_with(store, "sqlite:")) {
    where.sqlite_dir = store.substr(7);
    if (where.sqlite_dir.empty())
      return common::fail("--store sqlite: needs a folder, as in sqlite:/var/lib/kycd");
    return where;
  }
  if (starts_with(store, "postgresql://") || starts_with(store, "postgres://")) {
    where.kind = StoreLocation::Kind::postgresql;
    where.url = store;
    return where;
  }
  return common::fail("--store " + StoreLocation{StoreLocation::Kind::postgresql, "", store}.describe() +
                      ": give sqlite:DIR or a postgresql:// URI");
}

std::string StoreLocation::describe() const {
  if (kind == Kind::sqlite) return (std::filesystem::path(sqlite_dir) / "audit.db").string();
  // user:password@host: the password never reaches a log line or a message.
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url;
  auto at = url.find('@', scheme_end + 3);
  auto slash = url.find('/', scheme_end + 3);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return url;
  auto colon = url.find(':', scheme_end + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon) + ":***" + url.substr(at);
}

}  // namespace kyc::store
