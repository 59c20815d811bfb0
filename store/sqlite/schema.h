// What the SQLite decision log (which writes document links and attempts with each record)
// and the SQLite account store (which reads them) share: the tables, the link count, and the
// way a SQLite exception becomes an Error at the store's boundary.
#pragma once

#include <exception>
#include <string>
#include <type_traits>

#include "common/result.h"

namespace kyc::store::sqlite {

// The account tables the log's writer fills. Both create them, so that a store opened before
// the log (a bulk import into a new folder) can already answer.
inline constexpr const char* kAccountTables = R"(
CREATE TABLE IF NOT EXISTS document_links (
  document_hash TEXT NOT NULL,
  account_id TEXT NOT NULL,
  decision_id TEXT NOT NULL,
  linked_at TEXT NOT NULL,
  PRIMARY KEY (document_hash, account_id));
CREATE TABLE IF NOT EXISTS attempts (
  account_id TEXT PRIMARY KEY,
  total INTEGER NOT NULL,
  failed INTEGER NOT NULL);
)";

// Accounts other than ?2 that document ?1 is linked to: read for a decision, and read again
// inside the commit that would add a link, where a different answer means a conflict.
inline constexpr const char* kCountOtherAccounts =
    "SELECT COUNT(*) FROM document_links WHERE document_hash = ? AND account_id != ?";

// Runs `use` and returns what it returns, or "WHAT: the SQLite message" when it throws:
// exceptions stay inside the store.
template <typename Use>
auto as_result(const char* what, Use use) -> common::Result<decltype(use())> {
  try {
    if constexpr (std::is_void_v<decltype(use())>) {
      use();
      return {};
    } else {
      return use();
    }
  } catch (const std::exception& e) {
    return common::fail(std::string(what) + ": " + e.what());
  }
}

}  // namespace kyc::store::sqlite
