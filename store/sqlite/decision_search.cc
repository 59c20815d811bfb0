#include "store/sqlite/decision_search.h"

#include <SQLiteCpp/Statement.h>

#include <optional>
#include <utility>

#include "store/decision_summary.h"

namespace kyc::store::sqlite {

namespace {

// The seq range the decisions of [from, to) lie in, from the hourly spans; nullopt when no
// decision was made in those hours. A record's hour is a prefix of its time, so every record
// of the range is in the span of an hour between from's and to's.
std::optional<std::pair<int64_t, int64_t>> seq_span(SQLite::Database& db, const std::string& from,
                                                    const std::string& to) {
  SQLite::Statement q(db,
                      "SELECT MIN(first_seq), MAX(last_seq) FROM decision_hours WHERE hour >= ? "
                      "AND hour <= ?");
  q.bind(1, hour_of(from));
  q.bind(2, to.empty() ? std::string("~") : hour_of(to));
  q.executeStep();
  if (q.getColumn(0).isNull()) return std::nullopt;
  return std::pair{q.getColumn(0).getInt64(), q.getColumn(1).getInt64()};
}

}  // namespace

std::vector<DecisionRow> search_decisions(SQLite::Database& db, const DecisionQuery& query) {
  std::vector<DecisionRow> out;
  // Which index leads: the most selective filter given. The reason table leads through a
  // CROSS JOIN (SQLite keeps that order), walking one code's rows newest first.
  bool by_reason = !query.reason.empty() && query.decision_id.empty() && query.account_id.empty();
  std::string sql =
      "SELECT d.seq, d.decision_id, d.time, d.account_id, d.stage, d.outcome, d.reasons, "
      "d.undetermined, d.policy_version, d.policy_sha256 FROM ";
  sql += by_reason ? "decision_reasons r CROSS JOIN decisions d ON d.seq = r.seq WHERE r.code = ?"
                   : "decisions d WHERE 1";
  const char* seq = by_reason ? "r.seq" : "d.seq";
  std::vector<std::string> texts;
  std::vector<int64_t> numbers;  // bound after the texts, in this order
  if (by_reason) texts.push_back(query.reason);
  auto text = [&](const char* condition, const std::string& value) {
    if (value.empty()) return;
    sql += std::string(" AND ") + condition;
    texts.push_back(value);
  };
  text("d.decision_id = ?", query.decision_id);
  text("d.account_id = ?", query.account_id);
  text("d.outcome = ?", query.outcome);
  text("d.policy_version = ?", query.policy_version);
  if (!by_reason)
    text("EXISTS (SELECT 1 FROM decision_reasons x WHERE x.code = ? AND x.seq = d.seq)",
         query.reason);
  text("d.time >= ?", query.from);
  text("d.time < ?", query.to);
  // Activations carry no summary; a decision always has an outcome.
  sql += " AND +d.outcome IS NOT NULL";  // `+`: a filter, never an index to walk
  if (query.before_seq > 0) {
    sql += std::string(" AND ") + seq + " < ?";
    numbers.push_back(query.before_seq);
  }
  if (!query.from.empty() || !query.to.empty()) {
    auto span = seq_span(db, query.from, query.to);
    if (!span) return out;
    sql += std::string(" AND ") + seq + " BETWEEN ? AND ?";
    numbers.push_back(span->first);
    numbers.push_back(span->second);
  }
  sql += std::string(" ORDER BY ") + seq + " DESC LIMIT ?";
  numbers.push_back(static_cast<int64_t>(query.limit));

  SQLite::Statement q(db, sql);
  int i = 1;
  for (const auto& t : texts) q.bind(i++, t);
  for (int64_t n : numbers) q.bind(i++, n);
  while (q.executeStep()) {
    DecisionRow row;
    row.seq = q.getColumn(0).getInt64();
    row.decision_id = q.getColumn(1).getString();
    row.time = q.getColumn(2).getString();
    row.account_id = q.getColumn(3).getString();
    row.stage = q.getColumn(4).getString();
    row.outcome = q.getColumn(5).getString();
    row.reasons = split_words(q.getColumn(6).getString());
    row.undetermined = split_words(q.getColumn(7).getString());
    row.policy_version = q.getColumn(8).getString();
    row.policy_sha256 = q.getColumn(9).getString();
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<BucketCount> count_decisions(SQLite::Database& db, const std::string& from,
                                         const std::string& to, Bucket bucket) {
  // The hour bounds use the primary key; the exact bounds drop the hours that start before
  // `from` or at or after `to`.
  SQLite::Statement q(
      db,
      "SELECT substr(hour, 1, ?), name, SUM(count) FROM decision_counts "
      "WHERE kind = ? AND hour >= ? AND hour <= ? "
      "AND (? = '' OR hour || ':00:00Z' >= ?) AND (? = '' OR hour || ':00:00Z' < ?) "
      "GROUP BY 1, 2 ORDER BY 1, 2");
  std::vector<BucketCount> out;
  for (CountKind kind : {CountKind::Decisions, CountKind::Reason, CountKind::Undetermined,
                         CountKind::Missing, CountKind::Incomplete}) {
    q.bind(1, bucket == Bucket::Day ? 10 : 13);
    q.bind(2, static_cast<int>(kind));
    q.bind(3, hour_of(from));
    q.bind(4, to.empty() ? std::string("~") : hour_of(to));
    q.bind(5, from);
    q.bind(6, from);
    q.bind(7, to);
    q.bind(8, to);
    while (q.executeStep())
      out.push_back({q.getColumn(0).getString(), kind, q.getColumn(1).getString(),
                     q.getColumn(2).getInt64()});
    q.reset();
  }
  return out;
}

}  // namespace kyc::store::sqlite
