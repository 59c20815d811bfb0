#include "store/chain.h"

#include <boost/json.hpp>
#include <map>
#include <set>

#include "common/sha256.h"

namespace kyc::store {

namespace {

void netstring(std::string& out, std::string_view v) {
  out += std::to_string(v.size());
  out += ':';
  out += v;
  out += ',';
}

std::string scheme_key_id(const StoredRecord& s) {
  boost::system::error_code ec;
  auto v = boost::json::parse(s.record.decision, ec);
  if (ec || !v.is_object()) return "";
  auto* id = v.get_object().if_contains("key_id");
  return id && id->is_string() ? std::string(id->get_string()) : "";
}

}  // namespace

std::string canonical_bytes(int64_t seq, const AuditRecord& r) {
  // Netstrings (`LENGTH:BYTES,`) in a fixed field order: unambiguous without escaping, so the
  // large JSON fields are hashed as they are, not copied through a serializer.
  std::string out;
  out.reserve(64 + r.decision_id.size() + r.time.size() + r.account_id.size() + r.stage.size() +
              r.facts.size() + r.today.size() + r.policy_sha256.size() + r.decision.size());
  netstring(out, std::to_string(seq));
  for (const std::string* f : {&r.decision_id, &r.time, &r.account_id, &r.stage, &r.facts, &r.today,
                               &r.policy_sha256, &r.decision})
    netstring(out, *f);
  return out;
}

std::string chain_hash(const std::string& prev_hash, const std::string& canonical) {
  return common::sha256_hex({prev_hash, canonical});
}

std::string keyed_link(const ChainKey& key, const std::string& prev_hash, int64_t seq,
                       const AuditRecord& r) {
  std::string effects;
  netstring(effects, r.effects);
  return key.mac_hex({prev_hash, canonical_bytes(seq, r), effects});
}

std::string row_digest(const ChainKey& key, std::string_view table,
                       std::initializer_list<std::string_view> columns) {
  std::string bytes;
  netstring(bytes, table);
  for (std::string_view c : columns) netstring(bytes, c);
  return key.mac_hex({bytes});
}

std::string effects_json(const std::vector<RowState>& rows) {
  if (rows.empty()) return "";
  boost::json::array out;
  for (const auto& r : rows) out.push_back(boost::json::array{r.table, r.key, r.digest});
  return boost::json::serialize(out);
}

common::Result<std::vector<RowState>> parse_effects(const std::string& effects) {
  std::vector<RowState> out;
  if (effects.empty()) return out;
  boost::system::error_code ec;
  auto v = boost::json::parse(effects, ec);
  if (ec || !v.is_array()) return common::fail("its effects are not a JSON array");
  for (const auto& row : v.get_array()) {
    const auto* a = row.if_array();
    if (!a || a->size() != 3 || !(*a)[0].is_string() || !(*a)[1].is_string() ||
        !(*a)[2].is_string())
      return common::fail("its effects hold something other than [table, key, digest]");
    out.push_back({std::string((*a)[0].get_string()), std::string((*a)[1].get_string()),
                   std::string((*a)[2].get_string())});
  }
  return out;
}

std::string ChainCheck::summary() const {
  std::string out = std::to_string(records) + " records, chain intact";
  if (keyed_from == 0) {
    out += " (plain SHA-256 links: made before keyed chains)";
  } else if (keyed_from == 1) {
    out += " (keyed with chain key " + key_id + ")";
  } else {
    out += " (records 1-" + std::to_string(keyed_from - 1) + " plain SHA-256, " +
           std::to_string(keyed_from) + "-" + std::to_string(records) + " keyed with chain key " +
           key_id + ")";
  }
  if (keyed_from) out += "; " + std::to_string(rows) + " account-table rows match the chain";
  if (anchors) out += "; " + std::to_string(anchors) + " checkpoints match";
  if (policies) out += "; " + std::to_string(policies) + " stored policies match their sha256";
  return out;
}

ChainCheck verify_chain(DecisionLog& log, const ChainProgress& progress) {
  VerifyOptions options;
  options.progress = progress;
  return verify_chain(log, options);
}

ChainCheck verify_chain(DecisionLog& log, const VerifyOptions& options) {
  ChainCheck c;
  const ChainKey* key = options.key;
  auto fail = [&c](std::string why) {
    c.ok = false;
    c.problem = std::move(why);
    return c;
  };
  // What the log says of itself, first: a check that cannot succeed says why at once.
  auto scheme = log.chain_scheme();
  if (!scheme) return fail(scheme.error().message);
  if (scheme->keyed_from > 0 && !key)
    return fail("the log is keyed from record " + std::to_string(scheme->keyed_from) +
                " with chain key " + scheme->key_id +
                ": give that key (--chain-key FILE) to check it");
  if (scheme->keyed_from > 0 && key && key->id() != scheme->key_id)
    return fail("the log is keyed with chain key " + scheme->key_id + ", not with the key given (" +
                key->id() + ")");

  int64_t total = 0;
  if (options.progress) {
    auto counted = log.count();
    if (counted) total = *counted;
  }
  std::map<int64_t, const ChainAnchor*> anchors;
  for (const auto& a : options.anchors) anchors[a.seq] = &a;
  // The last state each record stated of each row, and the record that stated it.
  std::map<std::pair<std::string, std::string>, std::pair<std::string, int64_t>> rows;
  // Each policy named, once, with the first record that names it: in the order of the
  // records, so that the first record whose policy is broken is the one named.
  struct NamedPolicy {
    std::string sha256;
    int64_t seq;
    std::string decision_id;
  };
  std::vector<NamedPolicy> policies;
  std::set<std::string> named;
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
                    "its prev_hash does not match the link of the record before it (removed, "
                    "reordered or inserted)");
    if (s.seq == 1 && scheme->keyed_from == 1) {
      // A log keyed from its start (the key was checked against chain_meta above).
      c.keyed_from = 1;
      c.key_id = scheme->key_id;
    } else if (!c.keyed_from && s.record.stage == kChainSchemeStage) {
      // From here on every link is keyed.
      std::string id = scheme_key_id(s);
      if (!key)
        return broken(s, "the log is keyed from here with chain key " + id +
                             ": give that key (--chain-key FILE) to check it");
      if (id != key->id())
        return broken(s, "the log is keyed from here with chain key " + id +
                             ", not with the key given (" + key->id() + ")");
      c.keyed_from = s.seq;
      c.key_id = id;
    }
    if (c.keyed_from) {
      if (keyed_link(*key, prev, s.seq, s.record) != s.hash)
        return broken(s,
                      "its content does not match its keyed link (the record was edited, or the "
                      "chain recomputed without the chain key)");
      auto states = parse_effects(s.record.effects);
      if (!states) return broken(s, states.error().message);
      for (auto& st : *states) rows[{st.table, st.key}] = {st.digest, s.seq};
    } else if (chain_hash(prev, canonical_bytes(s.seq, s.record)) != s.hash) {
      return broken(s, "its content does not match its hash (the record was edited)");
    } else if (!s.record.effects.empty()) {
      return broken(s, "a plain-linked record claims account-table effects (inserted or edited)");
    }
    if (auto a = anchors.find(s.seq); a != anchors.end()) {
      if (a->second->link != s.hash)
        return broken(s, "its link differs from " + a->second->what +
                             ": the log was rewritten from here on, or the database replaced");
      ++c.anchors;
    }
    if (options.check_policy && !s.record.policy_sha256.empty())
      if (named.insert(s.record.policy_sha256).second)
        policies.push_back({s.record.policy_sha256, s.seq, s.record.decision_id});
    prev = s.hash;
    ++expected_seq;
    if (options.progress && !options.progress(c.records, total)) {
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
  if (!c.ok) return c;
  int64_t last = expected_seq - 1;
  if (last == 0 && scheme->keyed_from == 1) {  // a keyed log with no record yet
    c.keyed_from = 1;
    c.key_id = scheme->key_id;
  }
  if (scheme->keyed_from != c.keyed_from)
    return fail(scheme->keyed_from == 0
                    ? "the chain is keyed from record " + std::to_string(c.keyed_from) +
                          " but the log's chain_meta says it is plain (edited)"
                    : "the log's chain_meta says the chain is keyed from record " +
                          std::to_string(scheme->keyed_from) + ", but " +
                          (c.keyed_from ? "it is keyed from record " + std::to_string(c.keyed_from)
                                        : std::string("no record is keyed")) +
                          ": the log was rewritten without the chain key");
  if (key && !c.keyed_from)
    return fail(
        "no record is linked with the chain key: the chain was recomputed without the key, or "
        "this log was never opened by a keyed service (then check it without --chain-key)");
  // The latest checkpoint past the end says how much is gone.
  const ChainAnchor* past = nullptr;
  for (const auto& a : options.anchors)
    if (a.seq > last && (!past || a.seq > past->seq)) past = &a;
  if (past)
    return fail("the log ends at record " + std::to_string(last) + ", but " + past->what +
                " names record " + std::to_string(past->seq) + ": records " +
                std::to_string(last + 1) + "-" + std::to_string(past->seq) +
                " were removed, or the database was replaced by an older one");
  for (const auto& [sha256, seq, decision_id] : policies) {
    std::string problem = options.check_policy(sha256);
    if (!problem.empty()) {
      c.ok = false;
      c.broken_seq = seq;
      c.broken_decision_id = decision_id;
      c.problem = std::move(problem);
      return c;
    }
    ++c.policies;
  }
  if (!c.keyed_from) return c;

  // The account tables against the last state the chain stated of each row.
  std::string problem;
  auto visited = log.chained_rows(*key, [&](const std::string& table, const std::string& row_key,
                                            const std::string& digest) {
    ++c.rows;
    if (!problem.empty()) return;
    auto it = rows.find({table, row_key});
    if (it == rows.end() || it->second.first.empty()) {
      problem =
          table + " row " + row_key + " is not in the chain: it was added outside the service";
      return;
    }
    if (it->second.first != digest)
      problem = table + " row " + row_key + " differs from what record " +
                std::to_string(it->second.second) + " chained: it was changed outside the service";
    it->second.first = "(seen)";
  });
  if (!visited) return fail(visited.error().message);
  if (!problem.empty()) return fail(problem);
  for (const auto& [row, state] : rows)
    if (!state.first.empty() && state.first != "(seen)")
      return fail(row.first + " row " + row.second + " chained by record " +
                  std::to_string(state.second) + " is missing: it was removed outside the service");
  return c;
}

}  // namespace kyc::store
