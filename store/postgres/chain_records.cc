#include "store/postgres/chain_records.h"

#include "store/chained_rows.h"
#include "store/postgres/connection.h"

namespace kyc::store::postgres {

ChainScheme read_chain_scheme(pqxx::transaction_base& tx) {
  ChainScheme s;
  for (const auto& row : tx.exec("SELECT name, value FROM chain_meta")) {
    std::string name = row[0].as<std::string>();
    if (name == "keyed_from") s.keyed_from = std::stoll(row[1].as<std::string>());
    if (name == "key_id") s.key_id = row[1].as<std::string>();
  }
  return s;
}

common::Result<void> ensure_keyed(pqxx::transaction_base& tx, const ChainKey& key) {
  auto head = tx.exec(kLockHead);
  ChainScheme scheme = read_chain_scheme(tx);
  if (scheme.keyed_from != 0) {
    if (scheme.key_id != key.id())
      return common::fail("the store's audit log is chained with chain key " + scheme.key_id +
                          ", not with the key given (" + key.id() +
                          "): start with the log's own key (--chain-key FILE)");
    return {};
  }
  // Records written without a key (a plain chain) or account rows imported before the chain
  // was keyed are followed by a record that switches to keyed links and states every row, as
  // the SQLite store does; else the chain is keyed from its first record.
  bool had_records = head[0][0].as<int64_t>() != 0;
  std::vector<RowState> rows;
  visit_chained_rows(tx, key, [&rows](const std::string& t, const std::string& k,
                                      const std::string& d) { rows.push_back({t, k, d}); });
  int64_t keyed_from = 1;
  if (had_records || !rows.empty()) {
    AuditRecord r = chain_scheme_record(key, had_records, rows);
    keyed_from = append_chain_record(tx, key, r);
  }
  for (auto [name, value] : {std::pair<std::string, std::string>{"scheme", "hmac-sha256"},
                             {"key_id", key.id()},
                             {"keyed_from", std::to_string(keyed_from)}})
    tx.exec_params("INSERT INTO chain_meta (name, value) VALUES ($1, $2)", name, value);
  return {};
}

int64_t append_chain_record(pqxx::transaction_base& tx, const ChainKey& key, AuditRecord& r) {
  auto head = tx.exec(kLockHead);
  int64_t seq = head[0][0].as<int64_t>() + 1;
  std::string prev = head[0][1].as<std::string>();
  r.decision_id = "chain-" + std::to_string(seq);
  if (r.time.empty()) r.time = tx.exec(std::string("SELECT ") + kNowText)[0][0].as<std::string>();
  if (r.facts.empty()) r.facts = "{}";
  std::string link = keyed_link(key, prev, seq, r);
  tx.exec_params(
      "INSERT INTO decisions (seq, decision_id, time, account_id, stage, facts, today, "
      "policy_sha256, decision, prev_hash, hash, effects) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
      "$9, $10, $11, $12)",
      seq, r.decision_id, r.time, r.account_id, r.stage, r.facts, r.today, r.policy_sha256,
      r.decision, prev, link, r.effects);
  tx.exec_params(kMoveHead, seq, link);
  return seq;
}

void visit_chained_rows(pqxx::transaction_base& tx, const ChainKey& key,
                        const DecisionLog::RowVisit& visit) {
  auto each = [&](RowState s) { visit(s.table, s.key, s.digest); };
  auto text = [](const pqxx::row& row, int i) { return row[i].as<std::string>(); };
  for (const auto& row :
       tx.exec("SELECT document_hash, account_id, decision_id, linked_at FROM document_links"))
    each(link_row(key, text(row, 0), text(row, 1), text(row, 2), text(row, 3)));
  for (const auto& row : tx.exec("SELECT account_id, total, failed FROM attempts"))
    each(attempts_row(key, text(row, 0), row[1].as<int64_t>(), row[2].as<int64_t>()));
  for (const auto& row : tx.exec(
           "SELECT account_id, full_name, birth_date, country, document_type, document_hash, "
           "updated_at FROM accounts"))
    each(account_row(key, text(row, 0), text(row, 1), text(row, 2), text(row, 3), text(row, 4),
                     text(row, 5), text(row, 6)));
}

}  // namespace kyc::store::postgres
