// The account-table rows a record states (store/chain.h, "Chained rows"): each backend's
// writer makes them as it writes document links, attempts and primary data, and its
// chained_rows() makes them again from the tables as they are, for verify_chain to compare.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/chain.h"

namespace kyc::store {

std::string link_row_key(const std::string& document_hash, const std::string& account_id);
RowState link_row(const ChainKey& key, const std::string& document_hash,
                  const std::string& account_id, const std::string& decision_id,
                  const std::string& linked_at);
RowState attempts_row(const ChainKey& key, const std::string& account_id, int64_t total,
                      int64_t failed);
RowState account_row(const ChainKey& key, const std::string& account_id,
                     const std::string& full_name, const std::string& birth_date,
                     const std::string& country, const std::string& document_type,
                     const std::string& document_hash, const std::string& updated_at);

// The kChainSchemeStage record that keys a chain from the next record on: it names the key,
// says what the links before it were (`had_records`: plain SHA-256, else none), and states
// every account-table row as it is then (rows written before the chain was keyed).
AuditRecord chain_scheme_record(const ChainKey& key, bool had_records,
                                const std::vector<RowState>& rows);
// The kAccountChangeStage record of primary data written at `now`: it names the accounts only
// by their rows' digests, never their personal data.
AuditRecord account_change_record(const std::vector<RowState>& rows, const std::string& now);

}  // namespace kyc::store
