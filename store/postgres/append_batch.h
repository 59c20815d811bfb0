// One group-commit batch of the decision log as one PostgreSQL transaction, in a handful of
// statements whatever its size: the head row locked first (so the batch follows every other
// replica's), then what the checks need read at once (idempotency keys, the documents' links,
// the accounts' attempts), the records decided in order in memory, and each table written by
// one statement over arrays (text_array.h).
#pragma once

#include <pqxx/pqxx>

#include <set>
#include <string>
#include <vector>

#include "store/chain_key.h"
#include "store/group_commit.h"

namespace kyc::store::postgres {

// Prepares the statements append_batch runs, on the writer's connection.
void prepare_append(pqxx::connection& c);

// Appends the batch in `tx` (not committed): per record Committed, Conflict or Repeated.
// `key` null: plain links (a log written before keyed chains, in tests). `stored_policies`:
// policy texts already in the log, not written again.
void append_batch(pqxx::work& tx, const ChainKey* key, GroupCommit::Batch& batch,
                  std::vector<DecisionLog::Commit>& results,
                  const std::set<std::string>& stored_policies);

}  // namespace kyc::store::postgres
