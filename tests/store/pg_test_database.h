// One PostgreSQL database per test, in the cluster that ctest's pg_cluster fixture started
// (scripts/pg-test-cluster.sh, which writes the cluster's URI to the file that
// KYC_TEST_PG_URL_FILE names): created under a unique name, so that tests running at once
// (ctest -j) share the cluster but never a database, and dropped when the test ends.
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <random>
#include <string>

#include "common/result.h"

namespace kyc::test_support {

// Runs one SQL text (several statements are fine) on the database at `url`; an error carries
// PostgreSQL's message.
inline common::Result<void> run_sql(const std::string& url, const std::string& sql) {
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(url.c_str()), &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK)
    return common::fail("cannot connect to " + url + ": " + PQerrorMessage(conn.get()));
  std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(conn.get(), sql.c_str()), &PQclear);
  auto status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    return common::fail(sql + ": " + PQerrorMessage(conn.get()));
  return {};
}

class PgTestDatabase {
 public:
  // A fresh, empty database. An error that says what is missing when there is no cluster:
  // CI always has one, so a test fails on it rather than skipping.
  static common::Result<std::unique_ptr<PgTestDatabase>> create() {
    const char* file = std::getenv("KYC_TEST_PG_URL_FILE");
    if (!file || !*file)
      return common::fail(
          "KYC_TEST_PG_URL_FILE is not set: run this test through ctest, whose pg_cluster "
          "fixture starts a PostgreSQL cluster (scripts/pg-test-cluster.sh start DIR) and names "
          "DIR/url");
    std::ifstream in(file);
    std::string cluster;
    if (!in || !std::getline(in, cluster) || cluster.empty())
      return common::fail(std::string("KYC_TEST_PG_URL_FILE names ") + file +
                          ", which holds no URI: did pg_cluster_start (scripts/pg-test-cluster.sh) "
                          "fail?");
    std::unique_ptr<PgTestDatabase> db(new PgTestDatabase(cluster, unique_name()));
    auto created = run_sql(cluster, "CREATE DATABASE " + db->name_);
    if (!created) {
      db->name_.clear();  // nothing to drop
      return created.error();
    }
    return db;
  }

  ~PgTestDatabase() {
    if (name_.empty()) return;
    // FORCE: a store that leaked a connection must not keep its database alive.
    auto dropped = run_sql(cluster_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    if (!dropped) ADD_FAILURE() << dropped.error().message;
  }
  PgTestDatabase(const PgTestDatabase&) = delete;
  PgTestDatabase& operator=(const PgTestDatabase&) = delete;

  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

 private:
  PgTestDatabase(std::string cluster, std::string name)
      : cluster_(std::move(cluster)),
        name_(std::move(name)),
        url_(with_database(cluster_, name_)) {}

  // Lower case letters, digits and '_' only: a name that needs no quoting.
  static std::string unique_name() {
    static std::atomic<int> made{0};
    std::random_device random;
    return "kycd_test_" + std::to_string(getpid()) + "_" + std::to_string(made++) + "_" +
           std::to_string(random() % 1000000);
  }

  // postgresql://user@host:port/postgres?options -> the same with another database.
  static std::string with_database(const std::string& url, const std::string& name) {
    auto authority = url.find("://");
    auto path = url.find('/', authority == std::string::npos ? 0 : authority + 3);
    auto query = url.find('?');
    std::string rest = query == std::string::npos ? "" : url.substr(query);
    std::string base = url.substr(0, path == std::string::npos || path > query ? query : path);
    return base + "/" + name + rest;
  }

  std::string cluster_;
  std::string name_;
  std::string url_;
};

}  // namespace kyc::test_support
