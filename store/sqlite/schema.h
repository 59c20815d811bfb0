// What the SQLite decision log (which writes document links and attempts with each record)
// and the SQLite account store (which reads them) share: the tables and the link count. A
// SQLite exception becomes an Error at the store's boundary through as_result.h.
#pragma once

#include "store/as_result.h"

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

}  // namespace kyc::store::sqlite
