// The SQLite side of the keyed chain (store/chain.h): the meta table that says from which
// record the links are keyed and with which key, the keyed digests of the account-table rows
// (document_links, attempts, accounts) that records state, and the chain's own records (the
// switch to keyed links, an account change). Used by the decision log's writer and by the
// account store, each inside its own write transaction.
#pragma once

#include <SQLiteCpp/Database.h>

#include <string>
#include <vector>

#include "store/chain.h"
#include "store/chained_rows.h"

namespace kyc::store::sqlite {

inline constexpr const char* kChainMetaTable = R"(
CREATE TABLE IF NOT EXISTS chain_meta (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL);
)";

// What chain_meta says; keyed_from 0 when it says nothing (a plain log, or no table).
ChainScheme read_chain_scheme(SQLite::Database& db);

// Every row of the three tables as it is now.
void visit_chained_rows(SQLite::Database& db, const ChainKey& key,
                        const DecisionLog::RowVisit& visit);

// Appends `r` (a chain record: kChainSchemeStage or kAccountChangeStage) after the current
// head, keyed; inside the caller's IMMEDIATE transaction. Its decision_id is "chain-SEQ"; an
// empty time is the database's clock. Returns its sequence number.
int64_t append_chain_record(SQLite::Database& db, const ChainKey& key, AuditRecord& r);

// Makes the chain keyed from the next record on, and fills chain_meta. A log made before keyed
// chains (or account rows written before the log) gets a kChainSchemeStage record, which
// states every account-table row as it is now; a new, empty log is keyed from record 1.
// Inside the caller's IMMEDIATE transaction.
void start_keyed_chain(SQLite::Database& db, const ChainKey& key);

}  // namespace kyc::store::sqlite
