// A connection to the PostgreSQL store, opened the same way by every part of the backend:
// lock_timeout from the options, the session's time zone UTC, and an error that names the
// server (never the password) when it cannot be reached.
#pragma once

#include <pqxx/pqxx>

#include <chrono>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "common/result.h"
#include "store/as_result.h"

namespace kyc::store::postgres {

common::Result<std::unique_ptr<pqxx::connection>> connect(const std::string& url,
                                                          std::chrono::milliseconds lock_timeout);

// A connection that comes back: a statement that finds it lost (the server restarted, an
// administrator ended it) makes it again, prepares its statements again and runs once more.
// One caller at a time: its owner locks.
class Session {
 public:
  using Prepare = std::function<void(pqxx::connection&)>;
  Session(std::string url, std::chrono::milliseconds lock_timeout, Prepare prepare = {})
      : url_(std::move(url)), lock_timeout_(lock_timeout), prepare_(std::move(prepare)) {}

  // Connects now and checks that the database has kycd's tables (migrations.h), so that a
  // store that cannot work there says so when it opens.
  common::Result<void> open();

  // False once a statement found the connection lost, until one connects again.
  bool connected() const { return connection_ != nullptr; }

  enum class Retry { once, never };
  // Runs use(connection). On a lost connection, drops it; with Retry::once (reads, and writes
  // that may run twice) connects again and runs `use` once more, else the next call connects.
  template <typename Use>
  auto run(Use use, Retry retry = Retry::once) -> decltype(use(std::declval<pqxx::connection&>())) {
    for (int attempt = 0;; ++attempt) {
      try {
        if (!connection_) connect_now();
        return use(*connection_);
      } catch (const std::exception&) {
        bool lost = !connection_ || !connection_->is_open();
        if (lost) connection_.reset();
        if (!lost || retry == Retry::never || attempt > 0) throw;
      }
    }
  }

 private:
  void connect_now();  // throws, with the Error's sentence, when it cannot

  std::string url_;
  std::chrono::milliseconds lock_timeout_;
  Prepare prepare_;
  std::unique_ptr<pqxx::connection> connection_;
};

// The time now in the records' own form (RFC 3339, UTC, milliseconds), from the database's
// clock: one clock for every replica's chain records.
inline constexpr const char* kNowText =
    "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";

// The same, 24 hours ago: an idempotency key older than that is forgotten.
inline constexpr const char* kKeyWindowStart =
    "to_char((clock_timestamp() - interval '24 hours') AT TIME ZONE 'UTC', "
    "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";

// Appends and reads of the chain: the head row every appending transaction locks first.
inline constexpr const char* kLockHead = "SELECT seq, hash FROM chain_head WHERE id = 1 FOR UPDATE";
inline constexpr const char* kMoveHead = "UPDATE chain_head SET seq = $1, hash = $2 WHERE id = 1";

}  // namespace kyc::store::postgres
