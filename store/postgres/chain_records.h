// The PostgreSQL side of the keyed chain (store/chain.h): what chain_meta says, the chain's
// own records (an account change) appended after the locked head, and the account-table rows
// as they are now. Used by the decision log and the account store, inside their transactions.
#pragma once

#include <pqxx/pqxx>

#include <cstdint>

#include "store/chain.h"
#include "store/decision_log.h"

namespace kyc::store::postgres {

ChainScheme read_chain_scheme(pqxx::transaction_base& tx);

// Keys the chain for a writer with a key: an empty log from its first record; one with plain
// records or account rows written before, from a kChainSchemeStage record that states every
// row. A log keyed with another key is an error. Locks the head for the caller's transaction.
common::Result<void> ensure_keyed(pqxx::transaction_base& tx, const ChainKey& key);

// Appends `r` (a kAccountChangeStage record) after the head, keyed, and moves the head; inside
// the caller's transaction. Its decision_id is "chain-SEQ"; an empty time is the database's
// clock. Returns its sequence number.
int64_t append_chain_record(pqxx::transaction_base& tx, const ChainKey& key, AuditRecord& r);

// Every row of the three chained tables as it is now.
void visit_chained_rows(pqxx::transaction_base& tx, const ChainKey& key,
                        const DecisionLog::RowVisit& visit);

}  // namespace kyc::store::postgres
