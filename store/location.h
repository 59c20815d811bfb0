// Where the store lives, as `--store` names it: the embedded SQLite file of a data folder
// ("sqlite:DIR", the default, DIR being --data-dir) or a PostgreSQL database that several
// replicas share ("postgresql://user@host:port/db?..." or "postgres://...", libpq's URI form).
// Keys (chain, checkpoint, master, document) stay files in the data folder either way: every
// replica is given the same ones.
#pragma once

#include <string>

#include "common/result.h"

namespace kyc::store {

struct StoreLocation {
  enum class Kind { sqlite, postgresql };
  Kind kind = Kind::sqlite;
  std::string sqlite_dir;  // sqlite: the data folder that holds audit.db
  std::string url;         // postgresql: the connection URI, as given
  // For logs and messages: the folder's database file, or the URI without its password.
  std::string describe() const;
};

// `store` "" means the data folder's SQLite file. An error names what is accepted.
common::Result<StoreLocation> parse_store_location(const std::string& store,
                                                   const std::string& data_dir);

}  // namespace kyc::store
