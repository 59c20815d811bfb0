#include "store/postgres/connection.h"

#include "store/location.h"
#include "store/postgres/migrations.h"

namespace kyc::store::postgres {

common::Result<std::unique_ptr<pqxx::connection>> connect(const std::string& url,
                                                          std::chrono::milliseconds lock_timeout) {
  StoreLocation where{StoreLocation::Kind::postgresql, "", url};
  try {
    auto c = std::make_unique<pqxx::connection>(url);
    pqxx::nontransaction setup(*c);
    setup.exec("SET TIME ZONE 'UTC'");
    setup.exec("SET lock_timeout = " + std::to_string(lock_timeout.count()));
    setup.exec("SET application_name = 'kycd'");
    return c;
  } catch (const std::exception& e) {
    std::string message = e.what();
    while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
      message.pop_back();
    return common::fail("cannot connect to the store " + where.describe() + ": " + message);
  }
}

common::Result<void> Session::open() {
  auto c = connect(url_, lock_timeout_);
  if (!c) return c.error();
  connection_ = std::move(*c);
  if (auto schema = require_schema(*connection_); !schema) return schema.error();
  return as_result("cannot prepare the store's statements", [&] {
    if (prepare_) prepare_(*connection_);
  });
}

void Session::connect_now() {
  auto c = connect(url_, lock_timeout_);
  if (!c) throw std::runtime_error(c.error().message);
  if (prepare_) prepare_(**c);
  connection_ = std::move(*c);
}

}  // namespace kyc::store::postgres
