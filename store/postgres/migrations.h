// The store's schema as numbered migrations (migrations/NNNN_name.sql, embedded at build
// time). A database remembers which it has had in schema_migrations; opening the store applies
// the missing ones in order, each in its own transaction, under an advisory lock so that
// replicas starting at once apply each one once. A database migrated by a newer kycd is
// refused rather than written with an older idea of its tables.
#pragma once

#include <pqxx/pqxx>

#include <string>
#include <vector>

#include "common/result.h"
#include "store/postgres/open.h"

namespace kyc::store::postgres {

struct MigrationFile {
  int version = 0;
  const char* name = "";
  const char* sql = "";
};
const std::vector<MigrationFile>& migration_files();  // embedded_migrations.cc, by version

// Applies what the database has not had; reports what it applied and where it now is.
common::Result<Migration> apply_migrations(pqxx::connection& c);
// The database's schema version: 0 for an empty database. An error when it is newer than
// this build knows.
common::Result<int> schema_version(pqxx::connection& c);
// An error unless the database has kycd's tables, none newer than this build knows.
common::Result<void> require_schema(pqxx::connection& c);

}  // namespace kyc::store::postgres
