// A connection to the PostgreSQL store, opened the same way by every part of the backend:
// lock_timeout from the options, the session's time zone UTC, and an error that names the
// server (never the password) when it cannot be reached.
#pragma once

#include <pqxx/pqxx>

#include <chrono>
#include <memory>
#include <string>

#include "common/result.h"
#include "store/as_result.h"

namespace kyc::store::postgres {

common::Result<std::unique_ptr<pqxx::connection>> connect(const std::string& url,
                                                          std::chrono::milliseconds lock_timeout);

// The time now in the records' own form (RFC 3339, UTC, milliseconds), from the database's
// clock: one clock for every replica's chain records.
inline constexpr const char* kNowText =
    "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";

// Appends and reads of the chain: the head row every appending transaction locks first.
inline constexpr const char* kLockHead = "SELECT seq, hash FROM chain_head WHERE id = 1 FOR UPDATE";
inline constexpr const char* kMoveHead = "UPDATE chain_head SET seq = $1, hash = $2 WHERE id = 1";

}  // namespace kyc::store::postgres
