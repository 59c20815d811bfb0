#include "store/chain.h"

#include "common/sha256.h"

namespace kyc::store {

std::string canonical_bytes(int64_t seq, const AuditRecord& r) {
  // Netstrings (`LENGTH:BYTES,`) in a fixed field order: unambiguous without escaping, so the
  // large JSON fields are hashed as they are, not copied through a serializer.
  std::string out;
  out.reserve(64 + r.decision_id.size() + r.time.size() + r.account_id.size() + r.stage.size() +
              r.facts.size() + r.today.size() + r.policy_sha256.size() + r.decision.size());
  auto field = [&out](std::string_view v) {
    out += std::to_string(v.size());
    out += ':';
    out += v;
    out += ',';
  };
  field(std::to_string(seq));
  for (const std::string* f : {&r.decision_id, &r.time, &r.account_id, &r.stage, &r.facts, &r.today,
                               &r.policy_sha256, &r.decision})
    field(*f);
  return out;
}

std::string chain_hash(const std::string& prev_hash, const std::string& canonical) {
  return common::sha256_hex({prev_hash, canonical});
}

ChainCheck verify_chain(DecisionLog& log, const ChainProgress& progress) {
  ChainCheck c;
  int64_t total = 0;
  if (progress) {
    auto counted = log.count();
    if (counted) total = *counted;
  }
  std::string prev = kGenesisHash;
  int64_t expected_seq = 1;
  auto broken = [&](const StoredRecord& s, std::string why) {
    c.ok = false;
    c.broken_seq = s.seq;
    c.broken_decision_id = s.record.decision_id;
    c.problem = std::move(why);
    return false;
  };
  auto read = log.range("", "", [&](const StoredRecord& s) {
    ++c.records;
    if (s.seq != expected_seq)
      return broken(s, "record " + std::to_string(expected_seq) + " is missing (the next one is " +
                           std::to_string(s.seq) + ")");
    if (s.prev_hash != prev)
      return broken(s,
                    "its prev_hash does not match the hash of the record before it (removed, "
                    "reordered or inserted)");
    if (chain_hash(prev, canonical_bytes(s.seq, s.record)) != s.hash)
      return broken(s, "its content does not match its hash (the record was edited)");
    prev = s.hash;
    ++expected_seq;
    if (progress && !progress(c.records, total)) {
      c.ok = false;
      c.problem = "stopped";
      return false;
    }
    return true;
  });
  if (!read && c.ok) {
    c.ok = false;
    c.problem = read.error().message;
  }
  return c;
}

}  // namespace kyc::store
