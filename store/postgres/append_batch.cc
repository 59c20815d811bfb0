#include "store/postgres/append_batch.h"

#include <map>
#include <optional>
#include <tuple>

#include "store/chain.h"
#include "store/chained_rows.h"
#include "store/decision_summary.h"
#include "store/postgres/activation_listener.h"
#include "store/postgres/connection.h"
#include "store/postgres/text_array.h"

namespace kyc::store::postgres {

namespace {

// What the batch's checks read before deciding its records, changed as they are decided.
struct BatchState {
  std::set<std::string> scopes;                                // idempotency keys in use
  std::map<std::string, std::set<std::string>> links;         // document -> accounts
  std::map<std::string, std::pair<int64_t, int64_t>> attempts;  // account -> total, failed
};

BatchState read_state(pqxx::work& tx, const GroupCommit::Batch& batch) {
  TextArray scopes, documents, accounts;
  std::set<std::string> seen_documents, seen_accounts;
  for (const auto& [r, done] : batch) {
    if (r.idempotency) scopes.add(r.idempotency->scope);
    if (r.link && seen_documents.insert(r.link->document_hash).second)
      documents.add(r.link->document_hash);
    if (!r.account_id.empty() && seen_accounts.insert(r.account_id).second)
      accounts.add(r.account_id);
  }
  BatchState state;
  if (!scopes.empty())
    for (const auto& row : tx.exec_prepared("prior_all", scopes.str()))
      state.scopes.insert(row[0].as<std::string>());
  if (!documents.empty())
    for (const auto& row : tx.exec_prepared("links_of", documents.str()))
      state.links[row[0].as<std::string>()].insert(row[1].as<std::string>());
  if (!accounts.empty())
    for (const auto& row : tx.exec_prepared("attempts_of", accounts.str()))
      state.attempts[row[0].as<std::string>()] = {row[1].as<int64_t>(), row[2].as<int64_t>()};
  return state;
}

// The columns of the batch's records, one array each, in the order of the insert.
struct RecordColumns {
  TextArray seq, decision_id, time, account_id, stage, facts, today, policy_sha256, decision,
      prev_hash, hash, effects, outcome, reasons, undetermined, missing, policy_version;

  void add(int64_t n, const AuditRecord& r, const std::string& prev, const std::string& link,
           const DecisionSummary& s) {
    seq.add(n);
    for (auto [column, value] :
         {std::pair{&decision_id, &r.decision_id}, {&time, &r.time}, {&account_id, &r.account_id},
          {&stage, &r.stage}, {&facts, &r.facts}, {&today, &r.today},
          {&policy_sha256, &r.policy_sha256}, {&decision, &r.decision}, {&prev_hash, &prev},
          {&hash, &link}})
      column->add(std::string_view(*value));
    if (r.effects.empty())
      effects.add_null();
    else
      effects.add(std::string_view(r.effects));
    if (!s.is_decision) {  // an activation, or a record of the chain itself
      for (TextArray* column : {&outcome, &reasons, &undetermined, &missing, &policy_version})
        column->add_null();
      return;
    }
    outcome.add(std::string_view(s.outcome));
    reasons.add(std::string_view(join_words(s.reasons)));
    undetermined.add(std::string_view(join_words(s.undetermined)));
    missing.add(std::string_view(join_words(s.missing)));
    policy_version.add(std::string_view(s.policy_version));
  }
};

// The hourly counts of a batch (store/decision_query.h CountKind), written once per batch.
using HourCounts = std::map<std::tuple<int, std::string, std::string>, int64_t>;
void add_counts(HourCounts& counts, const std::string& time, const DecisionSummary& s) {
  if (!s.is_decision) return;  // activations are not decisions: not counted
  std::string hour = hour_of(time);
  auto add = [&](CountKind kind, const std::string& name) {
    ++counts[{static_cast<int>(kind), hour, name}];
  };
  add(CountKind::Decisions, s.outcome);
  for (const auto& code : s.reasons) add(CountKind::Reason, code);
  for (const auto& code : s.undetermined) add(CountKind::Undetermined, code);
  for (const auto& fact : s.missing) add(CountKind::Missing, fact);
  if (!s.undetermined.empty()) add(CountKind::Incomplete, "");
}

}  // namespace

void prepare_append(pqxx::connection& c) {
  c.prepare("head", kLockHead);
  c.prepare("move_head", kMoveHead);
  c.prepare("prior_all", std::string("SELECT scope FROM idempotency_keys WHERE scope = "
                                     "ANY($1::text[]) AND created_at >= ") +
                             kKeyWindowStart);
  c.prepare("links_of",
            "SELECT document_hash, account_id FROM document_links WHERE document_hash = "
            "ANY($1::text[])");
  c.prepare("attempts_of",
            "SELECT account_id, total, failed FROM attempts WHERE account_id = ANY($1::text[])");
  c.prepare("insert_decisions",
            "INSERT INTO decisions (seq, decision_id, time, account_id, stage, facts, today, "
            "policy_sha256, decision, prev_hash, hash, effects, outcome, reasons, undetermined, "
            "missing, policy_version) SELECT seq, decision_id, time, account_id, stage, facts, "
            "today, policy_sha256, decision, prev_hash, hash, effects, outcome, "
            "string_to_array(reasons, ' '), string_to_array(undetermined, ' '), "
            "string_to_array(missing, ' '), policy_version FROM unnest($1::bigint[], $2::text[], "
            "$3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], "
            "$10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], "
            "$16::text[], $17::text[]) AS t(seq, decision_id, time, account_id, stage, facts, "
            "today, policy_sha256, decision, prev_hash, hash, effects, outcome, reasons, "
            "undetermined, missing, policy_version)");
  c.prepare("insert_links",
            "INSERT INTO document_links (document_hash, account_id, decision_id, linked_at) "
            "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) ON CONFLICT DO "
            "NOTHING");
  c.prepare("set_attempts",
            "INSERT INTO attempts (account_id, total, failed) SELECT * FROM unnest($1::text[], "
            "$2::bigint[], $3::bigint[]) ON CONFLICT (account_id) DO UPDATE SET total = "
            "excluded.total, failed = excluded.failed");
  c.prepare("remember_all",
            "INSERT INTO idempotency_keys (scope, request_sha256, decision_id, created_at) SELECT "
            "* FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) ON CONFLICT (scope) DO "
            "UPDATE SET request_sha256 = excluded.request_sha256, decision_id = "
            "excluded.decision_id, created_at = excluded.created_at");
  c.prepare("count_all",
            "INSERT INTO decision_counts (kind, hour, name, count) SELECT * FROM "
            "unnest($1::smallint[], $2::text[], $3::text[], $4::bigint[]) ON CONFLICT (kind, hour, "
            "name) DO UPDATE SET count = decision_counts.count + excluded.count");
  c.prepare("policy",
            "INSERT INTO policies (sha256, text, first_used) VALUES ($1, $2, $3) ON CONFLICT DO "
            "NOTHING");
  c.prepare("policy_file",
            "INSERT INTO policy_files (policy_sha256, path, file_sha256) VALUES ($1, $2, $3) ON "
            "CONFLICT DO NOTHING");
  c.prepare("file_content",
            "INSERT INTO file_contents (sha256, content) VALUES ($1, $2) ON CONFLICT DO NOTHING");
  c.prepare("forget",
            std::string("DELETE FROM idempotency_keys WHERE created_at < ") + kKeyWindowStart);
}

void append_batch(pqxx::work& tx, const ChainKey* key, GroupCommit::Batch& batch,
                  std::vector<DecisionLog::Commit>& results,
                  const std::set<std::string>& stored_policies) {
  using Commit = DecisionLog::Commit;
  results.assign(batch.size(), Commit::Committed);
  // The head row's lock orders this batch after every other replica's; what is read after it
  // (READ COMMITTED: each statement sees what committed before it) includes their writes.
  auto head = tx.exec_prepared("head");
  int64_t seq = head[0][0].as<int64_t>();
  std::string hash = head[0][1].as<std::string>();
  BatchState state = read_state(tx, batch);
  RecordColumns records;
  TextArray link_document, link_account, link_decision, link_time;
  TextArray key_scope, key_request, key_decision, key_time;
  std::set<std::string> attempted;  // accounts whose attempts row this batch changes
  std::set<std::string> policies_written;
  HourCounts counts;
  bool activation = false;
  std::vector<RowState> effects;
  for (size_t i = 0; i < batch.size(); ++i) {
    AuditRecord& r = batch[i].first;
    effects.clear();
    // After the keys of earlier records of this batch: two requests with one key in flight at
    // once record one decision.
    if (r.idempotency && state.scopes.count(r.idempotency->scope)) {
      results[i] = Commit::Repeated;
      continue;
    }
    if (r.link) {
      // After the links of earlier records of this batch and of every other replica: two
      // approvals of one document can never both pass the account limit.
      auto& accounts = state.links[r.link->document_hash];
      int64_t others =
          static_cast<int64_t>(accounts.size()) - static_cast<int64_t>(accounts.count(r.account_id));
      if (others != r.link->other_accounts_seen) {
        results[i] = Commit::Conflict;
        continue;
      }
      if (accounts.insert(r.account_id).second) {
        link_document.add(r.link->document_hash);
        link_account.add(r.account_id);
        link_decision.add(r.decision_id);
        link_time.add(r.time);
        if (key)
          effects.push_back(
              link_row(*key, r.link->document_hash, r.account_id, r.decision_id, r.time));
      }
    }
    if (!r.account_id.empty()) {
      auto& [total, failed] = state.attempts[r.account_id];
      ++total;
      failed += r.failed_attempt ? 1 : 0;
      attempted.insert(r.account_id);
      if (key) effects.push_back(attempts_row(*key, r.account_id, total, failed));
    }
    if (r.policy_text && !stored_policies.count(r.policy_sha256) &&
        policies_written.insert(r.policy_sha256).second) {
      tx.exec_prepared("policy", r.policy_sha256, *r.policy_text, r.time);
      if (r.policy_files)
        for (const auto& f : *r.policy_files) {
          tx.exec_prepared("policy_file", r.policy_sha256, f.path, f.sha256);
          tx.exec_prepared("file_content", f.sha256, f.content);
        }
    }
    ++seq;
    std::string prev = hash;
    if (key) {
      r.effects = effects_json(effects);
      hash = keyed_link(*key, prev, seq, r);
    } else {
      hash = chain_hash(prev, canonical_bytes(seq, r));
    }
    DecisionSummary s = summary_of(r);
    records.add(seq, r, prev, hash, s);
    add_counts(counts, r.time, s);
    if (r.idempotency) {
      state.scopes.insert(r.idempotency->scope);
      key_scope.add(r.idempotency->scope);
      key_request.add(r.idempotency->request_sha256);
      key_decision.add(r.decision_id);
      key_time.add(r.time);
    }
    activation |= r.stage == kActivationStage;
  }
  if (records.seq.empty()) return;  // every record was a conflict or a repeat
  const RecordColumns& c = records;
  tx.exec_prepared("insert_decisions", c.seq.str(), c.decision_id.str(), c.time.str(),
                   c.account_id.str(), c.stage.str(), c.facts.str(), c.today.str(),
                   c.policy_sha256.str(), c.decision.str(), c.prev_hash.str(), c.hash.str(),
                   c.effects.str(), c.outcome.str(), c.reasons.str(), c.undetermined.str(),
                   c.missing.str(), c.policy_version.str());
  if (!link_document.empty())
    tx.exec_prepared("insert_links", link_document.str(), link_account.str(), link_decision.str(),
                     link_time.str());
  if (!attempted.empty()) {
    TextArray account, total, failed;
    for (const auto& id : attempted) {
      account.add(id);
      total.add(state.attempts[id].first);
      failed.add(state.attempts[id].second);
    }
    tx.exec_prepared("set_attempts", account.str(), total.str(), failed.str());
  }
  if (!key_scope.empty())
    tx.exec_prepared("remember_all", key_scope.str(), key_request.str(), key_decision.str(),
                     key_time.str());
  if (!counts.empty()) {
    TextArray kind, hour, name, n;
    for (const auto& [k, count] : counts) {
      kind.add(static_cast<int64_t>(std::get<0>(k)));
      hour.add(std::get<1>(k));
      name.add(std::get<2>(k));
      n.add(count);
    }
    tx.exec_prepared("count_all", kind.str(), hour.str(), name.str(), n.str());
  }
  tx.exec_prepared("move_head", seq, hash);
  // Delivered at commit, to every replica's listener (activation_listener.h).
  if (activation) tx.exec(std::string("NOTIFY ") + kActivationChannel);
}

}  // namespace kyc::store::postgres
