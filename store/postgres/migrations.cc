#include "store/postgres/migrations.h"

#include "store/as_result.h"

namespace kyc::store::postgres {

namespace {

// pg_advisory_xact_lock's key: "kycd" in ASCII. Held for the migration's transaction.
constexpr int64_t kMigrationLock = 0x6b796364;

constexpr const char* kHistory = R"(CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()))";

int latest_known() { return migration_files().empty() ? 0 : migration_files().back().version; }

int read_version(pqxx::transaction_base& tx) {
  auto exists = tx.exec("SELECT to_regclass('schema_migrations') IS NOT NULL");
  if (!exists[0][0].as<bool>()) return 0;
  auto r = tx.exec("SELECT coalesce(max(version), 0) FROM schema_migrations");
  return r[0][0].as<int>();
}

common::Result<int> checked(int version) {
  if (version > latest_known())
    return common::fail("the store's schema is at version " + std::to_string(version) +
                        ", newer than this kycd knows (" + std::to_string(latest_known()) +
                        "): run the kycd that migrated it, or a newer one");
  return version;
}

}  // namespace

common::Result<int> schema_version(pqxx::connection& c) {
  auto version = as_result("cannot read the store's schema version", [&] {
    pqxx::read_transaction tx(c);
    return read_version(tx);
  });
  if (!version) return version.error();
  return checked(*version);
}

common::Result<void> require_schema(pqxx::connection& c) {
  auto version = schema_version(c);
  if (!version) return version.error();
  if (*version == 0)
    return common::fail("the store has no tables yet: run kyc store migrate (kyc serve applies "
                        "the migrations when it starts)");
  return {};
}

common::Result<Migration> apply_migrations(pqxx::connection& c) {
  Migration report;
  for (const MigrationFile& file : migration_files()) {
    try {
      pqxx::work tx(c);
      tx.exec("SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLock) + ")");
      tx.exec(kHistory);
      auto at = checked(read_version(tx));
      if (!at) return at.error();
      if (*at >= file.version) continue;  // applied before, or by another replica meanwhile
      tx.exec(file.sql);
      tx.exec_params("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", file.version,
                     std::string(file.name));
      tx.commit();
      report.applied.push_back(file.name);
    } catch (const std::exception& e) {
      return common::fail(std::string("cannot apply the store's migration ") + file.name + ": " +
                          e.what());
    }
  }
  auto version = schema_version(c);
  if (!version) return version.error();
  report.version = *version;
  return report;
}

}  // namespace kyc::store::postgres
