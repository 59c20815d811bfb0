// The hash chain over the decision log, the same for every backend: each record's hash is
// SHA-256(previous hash || its canonical bytes), starting from 64 zeros.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "store/decision_log.h"

namespace kyc::store {

// The bytes a record's hash covers (netstrings of its fields in a fixed order), and the chain
// step: SHA-256(prev_hash || canonical).
std::string canonical_bytes(int64_t seq, const AuditRecord& r);
std::string chain_hash(const std::string& prev_hash, const std::string& canonical);
inline const std::string kGenesisHash(64, '0');

// Recomputes the whole chain: ok, or the first broken record and why.
struct ChainCheck {
  bool ok = true;
  int64_t records = 0;
  int64_t broken_seq = 0;
  std::string broken_decision_id;
  std::string problem;
};
// `progress`, when set, is called after each record with the records checked and the total
// (counted first, for a progress line: checking a large log takes minutes). It returns false
// to stop (a service shutting down): the check then ends not ok, "stopped".
using ChainProgress = std::function<bool(int64_t checked, int64_t total)>;
ChainCheck verify_chain(DecisionLog& log, const ChainProgress& progress = {});

}  // namespace kyc::store
