// The chain over the decision log, the same for every backend. Each record's link covers the
// link before it and the record's canonical bytes, starting from 64 zeros:
//   plain (logs made before keyed chains):  SHA-256(prev || canonical)
//   keyed:  HMAC-SHA-256(chain key, prev || canonical || effects)
// A log made before keyed chains switches with a kChainSchemeStage record naming the key's
// id; the records before it keep their plain links. A new log is keyed from record 1. Without the
// key nobody can recompute a keyed chain that verifies. See docs/audit-log.md.
//
// Chained rows: the account tables a decision or an account change writes (document links,
// attempts, accounts) are stated in the record that writes them, as a keyed digest of the
// row (the record's `effects`). verify_chain folds those statements and compares the tables
// with them, so a row changed, added or removed outside the service is found.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "store/chain_key.h"
#include "store/decision_log.h"

namespace kyc::store {

// The bytes a record's link covers (netstrings of its fields in a fixed order).
std::string canonical_bytes(int64_t seq, const AuditRecord& r);
// The plain chain step: SHA-256(prev_hash || canonical).
std::string chain_hash(const std::string& prev_hash, const std::string& canonical);
inline const std::string kGenesisHash(64, '0');
// The keyed chain step: HMAC-SHA-256(key, prev_hash || canonical || netstring(effects)).
std::string keyed_link(const ChainKey& key, const std::string& prev_hash, int64_t seq,
                       const AuditRecord& r);

// One account-table row as a record states it: its table, its key in that table, and the
// keyed digest of its columns ("" when the record removed it).
struct RowState {
  std::string table, key, digest;
  bool operator==(const RowState&) const = default;
};
std::string row_digest(const ChainKey& key, std::string_view table,
                       std::initializer_list<std::string_view> columns);
std::string effects_json(const std::vector<RowState>& rows);
// The states a record's effects hold; an error for text that is not the JSON above.
common::Result<std::vector<RowState>> parse_effects(const std::string& effects);

// Recomputes the whole chain: ok, or the first broken record and why.
struct ChainCheck {
  bool ok = true;
  int64_t records = 0;
  int64_t broken_seq = 0;
  std::string broken_decision_id;
  std::string problem;
  // What was checked, for the report: where the keyed part starts (0: a plain log) and with
  // which key; account-table rows compared; checkpoints matched.
  int64_t keyed_from = 0;
  std::string key_id;
  int64_t rows = 0;
  int64_t anchors = 0;
  int64_t policies = 0;  // stored policies checked against the sha256 records name them by
  // "6619 records, chain intact (records 1-6600 plain SHA-256, 6601-6619 keyed with chain
  // key 1f2e...); 812 account-table rows match"
  std::string summary() const;
};
// `progress`, when set, is called after each record with the records checked and the total
// (counted first, for a progress line: checking a large log takes minutes). It returns false
// to stop (a service shutting down): the check then ends not ok, "stopped".
using ChainProgress = std::function<bool(int64_t checked, int64_t total)>;

// A link known from outside the log (a signed checkpoint): record `seq` had link `link`.
struct ChainAnchor {
  int64_t seq = 0;
  std::string link;
  std::string what;  // how to name it in a message: "the checkpoint of 2026-12-05T06:00:00Z"
};

struct VerifyOptions {
  // The chain key: needed for a keyed log (its records from the kChainSchemeStage one on).
  // Given, the log must be keyed: a plain chain then means one recomputed without the key.
  const ChainKey* key = nullptr;
  std::vector<ChainAnchor> anchors;  // each must match the log, and lie within it
  ChainProgress progress;
  // Checks the stored policy that records name by `policy_sha256`, once per policy after the
  // walk: "" when its text and files are what the sha256 says, else why not. Records chain
  // only the sha256, so an edited text is found here or not at all. The store does not know
  // how a policy's identity is made (dsl/policy_files.h); the service gives this. Unset: not
  // checked.
  std::function<std::string(const std::string& policy_sha256)> check_policy;
};
ChainCheck verify_chain(DecisionLog& log, const VerifyOptions& options);
ChainCheck verify_chain(DecisionLog& log, const ChainProgress& progress = {});

}  // namespace kyc::store
