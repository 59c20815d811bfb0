// Where a conformance test's store lives, for either backend: an empty SQLite data folder, or
// a fresh PostgreSQL database (pg_test_database.h). And a way in behind the store's back, for
// the tests that edit its tables as someone with access to the database, not to the service,
// would (SQL that both dialects read alike), hold its write lock as a long transaction would,
// or end its connections as a database restart would.
#pragma once

#include <SQLiteCpp/Database.h>

#include <exception>
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "store/location.h"
#include "store/sqlite/open.h"
#include "tests/store/pg_test_database.h"
#include "tests/temp_dir.h"

namespace kyc::test_support {

class StoreUnderTest {
 public:
  // `backend`: "sqlite" or "postgresql", as the suite's parameter names it.
  static common::Result<std::unique_ptr<StoreUnderTest>> make(const std::string& backend) {
    std::unique_ptr<StoreUnderTest> made(new StoreUnderTest);
    if (backend == "sqlite") {
      made->folder_ = std::make_unique<TempDir>("kycd-conformance");
      auto where = store::parse_store_location("", made->folder_->path.string());
      if (!where) return where.error();
      made->where_ = *where;
      return made;
    }
    if (backend == "postgresql") {
      auto db = PgTestDatabase::create();
      if (!db) return db.error();
      made->database_ = std::move(*db);
      auto where = store::parse_store_location(made->database_->url(), "");
      if (!where) return where.error();
      made->where_ = *where;
      return made;
    }
    return common::fail("no backend named " + backend);
  }

  const store::StoreLocation& where() const { return where_; }

  // What a database restart or a failover does to the store's connections: ends them. A file
  // has none to end.
  common::Result<void> end_connections() const {
    if (!database_) return {};
    return run_sql(database_->url(),
                   "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
                   "current_database() AND pid <> pg_backend_pid()");
  }

  // Another writer's long transaction: holds the lock that appends need until it goes.
  class WriteLock {
   public:
    explicit WriteLock(std::function<void()> release) : release_(std::move(release)) {}
    ~WriteLock() { release_(); }
    WriteLock(const WriteLock&) = delete;
    WriteLock& operator=(const WriteLock&) = delete;

   private:
    std::function<void()> release_;
  };
  common::Result<std::unique_ptr<WriteLock>> hold_write_lock() const {
    if (database_) {
      std::shared_ptr<PGconn> conn(PQconnectdb(database_->url().c_str()), &PQfinish);
      // EXCLUSIVE: reads go on, every insert into the log waits.
      std::unique_ptr<PGresult, decltype(&PQclear)> locked(
          PQexec(conn.get(), "BEGIN; LOCK TABLE decisions IN EXCLUSIVE MODE"), &PQclear);
      if (PQresultStatus(locked.get()) != PGRES_COMMAND_OK)
        return common::fail(std::string("cannot lock the decisions table: ") +
                            PQerrorMessage(conn.get()));
      return std::make_unique<WriteLock>([conn] { PQclear(PQexec(conn.get(), "ROLLBACK")); });
    }
    try {
      auto db = std::make_shared<SQLite::Database>(
          store::sqlite::database_path(folder_->path.string()), SQLite::OPEN_READWRITE);
      db->exec("BEGIN IMMEDIATE");
      return std::make_unique<WriteLock>([db] { db->exec("ROLLBACK"); });
    } catch (const std::exception& e) {
      return common::fail(std::string("cannot lock audit.db: ") + e.what());
    }
  }

  // Runs `sql` on the store's database, outside the store.
  common::Result<void> execute_behind_the_store(const std::string& sql) const {
    if (database_) return run_sql(database_->url(), sql);
    try {
      SQLite::Database db(store::sqlite::database_path(folder_->path.string()),
                          SQLite::OPEN_READWRITE);
      db.exec(sql);
      return {};
    } catch (const std::exception& e) {
      return common::fail(sql + ": " + e.what());
    }
  }

 private:
  StoreUnderTest() = default;
  std::unique_ptr<TempDir> folder_;           // sqlite
  std::unique_ptr<PgTestDatabase> database_;  // postgresql
  store::StoreLocation where_;
};

}  // namespace kyc::test_support
