#include "store/sqlite/search_index.h"

#include <SQLiteCpp/Transaction.h>

namespace kyc::store::sqlite {

namespace {

const char* kSearchTables = R"(
-- Fired reasons by code, newest last: a search by reason reads its own rows only.
CREATE TABLE IF NOT EXISTS decision_reasons (
  code TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (code, seq)) WITHOUT ROWID;
-- The sequence numbers each hour's decisions span: a time range becomes a seq range, so no
-- index on time is needed (records are written in about time order, see schema in
-- decision_log.cc).
CREATE TABLE IF NOT EXISTS decision_hours (
  hour TEXT PRIMARY KEY,
  first_seq INTEGER NOT NULL,
  last_seq INTEGER NOT NULL) WITHOUT ROWID;
-- Counts per hour (store/decision_query.h CountKind), what GET /v1/stats sums.
CREATE TABLE IF NOT EXISTS decision_counts (
  kind INTEGER NOT NULL,
  hour TEXT NOT NULL,
  name TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (kind, hour, name)) WITHOUT ROWID;
)";

// After the upgrade's backfill: an index is built faster at once than row by row.
const char* kSearchIndexes = R"(
CREATE INDEX IF NOT EXISTS decisions_outcome ON decisions(outcome, seq);
CREATE INDEX IF NOT EXISTS decisions_policy_version ON decisions(policy_version, seq);
)";

bool has_summary_columns(SQLite::Database& db) {
  return db.execAndGet("SELECT COUNT(*) FROM pragma_table_info('decisions') WHERE name = 'outcome'")
             .getInt() > 0;
}

void backfill(SQLite::Database& db) {
  for (const char* column : {"outcome", "reasons", "undetermined", "missing", "policy_version"})
    db.exec(std::string("ALTER TABLE decisions ADD COLUMN ") + column + " TEXT");
  SQLite::Statement read(db, "SELECT seq, time, stage, decision FROM decisions ORDER BY seq");
  SQLite::Statement update(db,
                           "UPDATE decisions SET outcome = ?, reasons = ?, undetermined = ?, "
                           "missing = ?, policy_version = ? WHERE seq = ?");
  SearchIndexWriter index(db);
  int64_t rows = 0;
  while (read.executeStep()) {
    int64_t seq = read.getColumn(0).getInt64();
    DecisionSummary summary =
        summarize(read.getColumn(2).getString(), read.getColumn(3).getString());
    if (!summary.is_decision) continue;
    bind_summary(update, 1, summary);
    update.bind(6, seq);
    update.exec();
    update.reset();
    index.add(seq, read.getColumn(1).getString(), summary);
    if (++rows % 10000 == 0) index.flush();  // bounded memory over a long log
  }
  index.flush();
}

}  // namespace

void prepare_search_index(SQLite::Database& db) {
  SQLite::Transaction tx(db);
  db.exec(kSearchTables);
  if (!has_summary_columns(db)) backfill(db);
  db.exec(kSearchIndexes);
  tx.commit();
}

void bind_summary(SQLite::Statement& insert, int first, const DecisionSummary& s) {
  if (!s.is_decision) {
    for (int i = 0; i < 5; ++i) insert.bind(first + i);  // NULL
    return;
  }
  insert.bind(first, s.outcome);
  insert.bind(first + 1, join_words(s.reasons));
  insert.bind(first + 2, join_words(s.undetermined));
  insert.bind(first + 3, join_words(s.missing));
  insert.bind(first + 4, s.policy_version);
}

SearchIndexWriter::SearchIndexWriter(SQLite::Database& db)
    : reason_(db, "INSERT OR IGNORE INTO decision_reasons (code, seq) VALUES (?, ?)"),
      hour_(db,
            "INSERT INTO decision_hours (hour, first_seq, last_seq) VALUES (?, ?, ?) "
            "ON CONFLICT(hour) DO UPDATE SET first_seq = min(first_seq, excluded.first_seq), "
            "last_seq = max(last_seq, excluded.last_seq)"),
      count_(db,
             "INSERT INTO decision_counts (kind, hour, name, count) VALUES (?, ?, ?, ?) "
             "ON CONFLICT(kind, hour, name) DO UPDATE SET count = count + excluded.count") {}

void SearchIndexWriter::add(int64_t seq, const std::string& time, const DecisionSummary& s) {
  if (!s.is_decision) return;  // activations are not decisions: not searched, not counted
  for (const auto& code : s.reasons) {
    reason_.bind(1, code);
    reason_.bind(2, seq);
    reason_.exec();
    reason_.reset();
  }
  std::string hour = hour_of(time);
  auto [span, fresh] = hours_.try_emplace(hour, Span{seq, seq});
  if (!fresh) {
    span->second.first = std::min(span->second.first, seq);
    span->second.last = std::max(span->second.last, seq);
  }
  auto count = [&](CountKind kind, const std::string& name) {
    ++counts_[{static_cast<int>(kind), hour, name}];
  };
  count(CountKind::Decisions, s.outcome);
  for (const auto& code : s.reasons) count(CountKind::Reason, code);
  for (const auto& code : s.undetermined) count(CountKind::Undetermined, code);
  for (const auto& fact : s.missing) count(CountKind::Missing, fact);
  if (!s.undetermined.empty()) count(CountKind::Incomplete, "");
}

void SearchIndexWriter::flush() {
  for (const auto& [hour, span] : hours_) {
    hour_.bind(1, hour);
    hour_.bind(2, span.first);
    hour_.bind(3, span.last);
    hour_.exec();
    hour_.reset();
  }
  for (const auto& [key, n] : counts_) {
    count_.bind(1, std::get<0>(key));
    count_.bind(2, std::get<1>(key));
    count_.bind(3, std::get<2>(key));
    count_.bind(4, n);
    count_.exec();
    count_.reset();
  }
  discard();
}

void SearchIndexWriter::discard() {
  hours_.clear();
  counts_.clear();
}

void SearchIndexWriter::reset_statements() {
  for (SQLite::Statement* st : {&reason_, &hour_, &count_}) {
    st->tryReset();
    st->clearBindings();
  }
}

}  // namespace kyc::store::sqlite
