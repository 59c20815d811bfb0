#include "store/sqlite/chained_tables.h"

#include <SQLiteCpp/Statement.h>

#include <charconv>
#include <stdexcept>

#include "common/utf8.h"

namespace kyc::store::sqlite {

ChainScheme read_chain_scheme(SQLite::Database& db) {
  ChainScheme s;
  if (!db.tableExists("chain_meta")) return s;
  SQLite::Statement q(db, "SELECT name, value FROM chain_meta");
  while (q.executeStep()) {
    std::string name = q.getColumn(0).getString();
    if (name == "keyed_from") {
      // The service writes a record number here; anything else was written by hand.
      std::string value = q.getColumn(1).getString();
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), s.keyed_from);
      if (ec != std::errc() || end != value.data() + value.size() || s.keyed_from < 0)
        throw std::runtime_error("the log's chain_meta names no record number as keyed_from (\"" +
                                 common::repaired_utf8(value.substr(0, 40)) +
                                 "\"): it was edited outside the service");
    }
    if (name == "key_id") s.key_id = q.getColumn(1).getString();
  }
  return s;
}

void visit_chained_rows(SQLite::Database& db, const ChainKey& key,
                        const DecisionLog::RowVisit& visit) {
  auto each = [&](RowState s) { visit(s.table, s.key, s.digest); };
  if (db.tableExists("document_links")) {
    SQLite::Statement q(db,
                        "SELECT document_hash, account_id, decision_id, linked_at FROM "
                        "document_links");
    while (q.executeStep())
      each(link_row(key, q.getColumn(0).getString(), q.getColumn(1).getString(),
                    q.getColumn(2).getString(), q.getColumn(3).getString()));
  }
  if (db.tableExists("attempts")) {
    SQLite::Statement q(db, "SELECT account_id, total, failed FROM attempts");
    while (q.executeStep())
      each(attempts_row(key, q.getColumn(0).getString(), q.getColumn(1).getInt64(),
                        q.getColumn(2).getInt64()));
  }
  if (db.tableExists("accounts")) {
    SQLite::Statement q(db,
                        "SELECT account_id, full_name, birth_date, country, document_type, "
                        "document_hash, updated_at FROM accounts");
    while (q.executeStep())
      each(account_row(key, q.getColumn(0).getString(), q.getColumn(1).getString(),
                       q.getColumn(2).getString(), q.getColumn(3).getString(),
                       q.getColumn(4).getString(), q.getColumn(5).getString(),
                       q.getColumn(6).getString()));
  }
}

int64_t append_chain_record(SQLite::Database& db, const ChainKey& key, AuditRecord& r) {
  int64_t seq = 1;
  std::string prev = kGenesisHash;
  {
    SQLite::Statement head(db, "SELECT seq, hash FROM decisions ORDER BY seq DESC LIMIT 1");
    if (head.executeStep()) {
      seq = head.getColumn(0).getInt64() + 1;
      prev = head.getColumn(1).getString();
    }
  }
  r.decision_id = "chain-" + std::to_string(seq);
  if (r.time.empty())
    r.time = db.execAndGet("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')").getString();
  if (r.facts.empty()) r.facts = "{}";
  std::string link = keyed_link(key, prev, seq, r);
  SQLite::Statement insert(
      db,
      "INSERT INTO decisions (seq, decision_id, time, account_id, stage, facts, today, "
      "policy_sha256, decision, prev_hash, hash, effects) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?)");
  insert.bind(1, seq);
  int column = 2;
  for (const std::string* f : {&r.decision_id, &r.time, &r.account_id, &r.stage, &r.facts, &r.today,
                               &r.policy_sha256, &r.decision, &prev, &link, &r.effects})
    insert.bind(column++, *f);
  insert.exec();
  return seq;
}

void start_keyed_chain(SQLite::Database& db, const ChainKey& key) {
  std::vector<RowState> rows;
  visit_chained_rows(db, key,
                     [&rows](const std::string& t, const std::string& k, const std::string& d) {
                       rows.push_back({t, k, d});
                     });
  bool had_records = db.execAndGet("SELECT COUNT(*) FROM decisions").getInt64() > 0;
  db.exec(kChainMetaTable);
  SQLite::Statement meta(db, "INSERT OR REPLACE INTO chain_meta (name, value) VALUES (?, ?)");
  auto set_meta = [&meta, &key](int64_t keyed_from) {
    for (auto [name, value] : {std::pair<std::string, std::string>{"scheme", "hmac-sha256"},
                               {"key_id", key.id()},
                               {"keyed_from", std::to_string(keyed_from)}}) {
      meta.bind(1, name);
      meta.bind(2, value);
      meta.exec();
      meta.reset();
    }
  };
  // A new, empty log is keyed from its first record: nothing before it to switch from.
  if (!had_records && rows.empty()) return set_meta(1);
  AuditRecord r = chain_scheme_record(key, had_records, rows);
  set_meta(append_chain_record(db, key, r));
}

}  // namespace kyc::store::sqlite
