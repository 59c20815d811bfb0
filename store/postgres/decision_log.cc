#include "store/postgres/decision_log.h"

#include "store/chain.h"
#include "store/decision_summary.h"
#include "store/postgres/append_batch.h"
#include "store/postgres/chain_records.h"
#include "store/postgres/connection.h"

namespace kyc::store::postgres {

namespace {

constexpr const char* kColumns =
    "seq, decision_id, time, account_id, stage, facts, today, policy_sha256, decision, prev_hash, "
    "hash, coalesce(effects, '')";

StoredRecord read_row(const pqxx::row& row) {
  StoredRecord s;
  s.seq = row[0].as<int64_t>();
  AuditRecord& r = s.record;
  for (auto [i, field] : {std::pair{1, &r.decision_id}, {2, &r.time}, {3, &r.account_id},
                          {4, &r.stage}, {5, &r.facts}, {6, &r.today}, {7, &r.policy_sha256},
                          {8, &r.decision}, {11, &r.effects}})
    *field = row[i].as<std::string>();
  s.prev_hash = row[9].as<std::string>();
  s.hash = row[10].as<std::string>();
  return s;
}

std::vector<StoredRecord> read_rows(const pqxx::result& rows) {
  std::vector<StoredRecord> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(read_row(row));
  return out;
}

std::vector<std::string> array_words(const pqxx::field& f) {
  // text[] of codes, which hold no space, comma, quote or brace: {A,B}
  std::string text = f.is_null() ? "" : f.as<std::string>();
  if (text.size() >= 2) text = text.substr(1, text.size() - 2);
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<PgDecisionLog>> PgDecisionLog::open(const std::string& url,
                                                           const AuditOptions& options,
                                                           const ChainKey* key) {
  std::unique_ptr<PgDecisionLog> log(new PgDecisionLog());
  log->writer_db_ = std::make_unique<Session>(url, options.busy_timeout, prepare_append);
  log->reader_db_ = std::make_unique<Session>(url, options.busy_timeout);
  log->url_ = url;
  for (Session* s : {log->writer_db_.get(), log->reader_db_.get()})
    if (auto connected = s->open(); !connected) return connected.error();
  if (key) {
    auto keyed = as_result("cannot open the audit log", [&] {
      return log->writer_db_->run([&](pqxx::connection& c) -> Result<void> {
        pqxx::work tx(c);
        auto ensured = ensure_keyed(tx, *key);
        if (ensured) tx.commit();
        return ensured;
      });
    });
    if (!keyed) return keyed.error();
    log->key_ = *key;
  }
  log->writer_ = std::make_unique<GroupCommit>(
      options, [l = log.get()](GroupCommit::Batch& batch, std::vector<Commit>& results) {
        return l->commit(batch, results);
      });
  return log;
}

Result<std::unique_ptr<PgDecisionLog>> PgDecisionLog::open_read_only(const std::string& url) {
  std::unique_ptr<PgDecisionLog> log(new PgDecisionLog());
  log->reader_db_ = std::make_unique<Session>(url, std::chrono::milliseconds(5000));
  if (auto connected = log->reader_db_->open(); !connected) return connected.error();
  return log;
}

PgDecisionLog::~PgDecisionLog() {
  writer_.reset();
  listener_.reset();
}

void PgDecisionLog::watch_activations(std::function<void()> changed) {
  listener_.reset();
  if (changed)
    listener_ = std::make_unique<ActivationListener>(url_, std::move(changed), reachable_);
}

std::optional<std::string> PgDecisionLog::unavailable() const {
  if (!reachable_) return "the store's database cannot be reached";
  if (writer_lost_) return "the last records could not be committed: the connection to the "
                           "store's database was lost";
  return std::nullopt;
}

void PgDecisionLog::append(AuditRecord record, Done done) {
  if (!writer_) return done(Commit::Failed);
  writer_->append(std::move(record), std::move(done));
}

void PgDecisionLog::deliver_results_with(Deliver deliver) {
  if (writer_) writer_->deliver_results_with(std::move(deliver));
}

bool PgDecisionLog::commit(GroupCommit::Batch& batch, std::vector<Commit>& results) {
  try {
    // Never run twice: a batch that failed fails as a whole, and its callers hear so. A lost
    // connection is made again for the next batch.
    writer_db_->run([&](pqxx::connection& c) { commit_in(c, batch, results); },
                    Session::Retry::never);
  } catch (const std::exception&) {
    writer_lost_ = !writer_db_->connected();
    return false;  // rolled back: the head and every table are as they were
  }
  writer_lost_ = false;
  for (size_t i = 0; i < batch.size(); ++i)
    if (results[i] == Commit::Committed && batch[i].first.policy_text)
      stored_policies_.insert(batch[i].first.policy_sha256);
  return true;
}

void PgDecisionLog::commit_in(pqxx::connection& c, GroupCommit::Batch& batch,
                              std::vector<Commit>& results) {
  pqxx::work tx(c);
  append_batch(tx, key_ ? &*key_ : nullptr, batch, results, stored_policies_);
  constexpr int64_t kForgetEvery = 4096;  // batches between deletions of expired keys
  if (++batches_ % kForgetEvery == 0) tx.exec_prepared("forget");
  tx.commit();
}

// Reads run under the reader mutex, each one statement in autocommit (its own snapshot,
// without BEGIN and COMMIT round trips); a database error ends here as
// an Error, never as an exception past the store.
template <typename Read>
auto PgDecisionLog::reading(Read read)
    -> Result<decltype(read(std::declval<pqxx::transaction_base&>()))> {
  std::lock_guard lock(reader_mutex_);
  return as_result("cannot read the audit log", [&] {
    return reader_db_->run([&](pqxx::connection& c) {
      pqxx::nontransaction tx(c);
      return read(tx);
    });
  });
}

Result<std::optional<IdempotentDecision>> PgDecisionLog::idempotent(const std::string& scope) {
  return reading([&](pqxx::transaction_base& tx) -> std::optional<IdempotentDecision> {
    auto r = tx.exec_params(std::string("SELECT request_sha256, decision_id FROM idempotency_keys "
                                        "WHERE scope = $1 AND created_at >= ") +
                                kKeyWindowStart,
                            scope);
    if (r.empty()) return std::nullopt;
    return IdempotentDecision{r[0][0].as<std::string>(), r[0][1].as<std::string>()};
  });
}

Result<std::optional<StoredRecord>> PgDecisionLog::get(const std::string& decision_id) {
  return reading([&](pqxx::transaction_base& tx) -> std::optional<StoredRecord> {
    auto r = tx.exec_params(
        std::string("SELECT ") + kColumns + " FROM decisions WHERE decision_id = $1", decision_id);
    if (r.empty()) return std::nullopt;
    return read_row(r[0]);
  });
}

Result<void> PgDecisionLog::range(const std::string& from, const std::string& to,
                                  const Visit& visit) {
  // A page at a time, visited outside the reader's lock: a log of millions of records is never
  // held in memory, and a visitor may read (a policy text) as it goes.
  constexpr int kPage = 1000;
  int64_t after = 0;
  while (true) {
    auto page = reading([&](pqxx::transaction_base& tx) {
      return read_rows(tx.exec_params(
          std::string("SELECT ") + kColumns +
              " FROM decisions WHERE seq > $1 AND ($2 = '' OR time >= $2) AND ($3 = '' OR time < "
              "$3) ORDER BY seq LIMIT $4",
          after, from, to, kPage));
    });
    if (!page) return page.error();
    for (const StoredRecord& s : *page)
      if (!visit(s)) return {};
    if (page->size() < static_cast<size_t>(kPage)) return {};
    after = page->back().seq;
  }
}

Result<std::vector<std::string>> PgDecisionLog::idle_accounts(const std::string& cutoff,
                                                            const std::string& after,
                                                            size_t limit) {
  return reading([&](pqxx::transaction_base& tx) {
    std::vector<std::string> out;
    for (const auto& row :
         tx.exec_params("SELECT account_id FROM decisions WHERE account_id > $1 GROUP BY "
                        "account_id HAVING max(time) < $2 ORDER BY account_id LIMIT $3",
                        after, cutoff, static_cast<int64_t>(limit)))
      out.push_back(row[0].as<std::string>());
    return out;
  });
}

Result<std::vector<std::string>> PgDecisionLog::days_without_account(const std::string& cutoff) {
  return reading([&](pqxx::transaction_base& tx) {
    std::vector<std::string> out;
    for (const auto& row : tx.exec_params(
             "SELECT DISTINCT substr(time, 1, 10) COLLATE \"C\" FROM decisions WHERE account_id "
             "= '' AND stage NOT IN ($1, $2, $3) AND substr(time, 1, 10) < substr($4, 1, 10) "
             "ORDER BY 1",
             std::string(kActivationStage), std::string(kChainSchemeStage),
             std::string(kAccountChangeStage), cutoff))
      out.push_back(row[0].as<std::string>());
    return out;
  });
}

Result<std::vector<StoredRecord>> PgDecisionLog::account_records(const std::string& account_id,
                                                                 int64_t after, size_t limit) {
  return reading([&](pqxx::transaction_base& tx) {
    return read_rows(tx.exec_params(
        std::string("SELECT ") + kColumns +
            " FROM decisions WHERE account_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        account_id, after, static_cast<int64_t>(limit)));
  });
}

Result<std::optional<std::string>> PgDecisionLog::policy_text(const std::string& sha256) {
  return reading([&](pqxx::transaction_base& tx) -> std::optional<std::string> {
    auto r = tx.exec_params("SELECT text FROM policies WHERE sha256 = $1", sha256);
    if (r.empty()) return std::nullopt;
    return r[0][0].as<std::string>();
  });
}

Result<std::vector<PolicyFile>> PgDecisionLog::policy_files(const std::string& sha256) {
  return reading([&](pqxx::transaction_base& tx) {
    std::vector<PolicyFile> out;
    for (const auto& row : tx.exec_params(
             "SELECT f.path, f.file_sha256, c.content FROM policy_files f JOIN file_contents c ON "
             "c.sha256 = f.file_sha256 WHERE f.policy_sha256 = $1 ORDER BY f.path",
             sha256))
      out.push_back(
          {row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>()});
    return out;
  });
}

Result<std::vector<StoredRecord>> PgDecisionLog::activations() {
  return reading([&](pqxx::transaction_base& tx) {
    return read_rows(tx.exec(std::string("SELECT ") + kColumns +
                             " FROM decisions WHERE stage = 'activation' ORDER BY seq"));
  });
}

Result<std::vector<DecisionRow>> PgDecisionLog::search(const DecisionQuery& query) {
  return reading([&](pqxx::transaction_base& tx) {
    // Each filter is "$n = '' OR ...": planned with the values given (an unnamed statement),
    // so the filters not given fold away and the one given picks its index.
    auto rows = tx.exec_params(
        "SELECT seq, decision_id, time, account_id, stage, outcome, reasons, undetermined, "
        "policy_version, policy_sha256 FROM decisions WHERE outcome IS NOT NULL "
        "AND ($1 = '' OR decision_id = $1) AND ($2 = '' OR account_id = $2) "
        "AND ($3 = '' OR outcome = $3) AND ($4 = '' OR reasons @> ARRAY[$4]::text[]) "
        "AND ($5 = '' OR policy_version = $5) AND ($6 = '' OR time >= $6) "
        "AND ($7 = '' OR time < $7) AND ($8::bigint = 0 OR seq < $8) ORDER BY seq DESC LIMIT $9",
        query.decision_id, query.account_id, query.outcome, query.reason, query.policy_version,
        query.from, query.to, query.before_seq, static_cast<int64_t>(query.limit));
    std::vector<DecisionRow> out;
    for (const auto& row : rows) {
      DecisionRow d;
      d.seq = row[0].as<int64_t>();
      d.decision_id = row[1].as<std::string>();
      d.time = row[2].as<std::string>();
      d.account_id = row[3].as<std::string>();
      d.stage = row[4].as<std::string>();
      d.outcome = row[5].as<std::string>();
      d.reasons = array_words(row[6]);
      d.undetermined = array_words(row[7]);
      d.policy_version = row[8].as<std::string>();
      d.policy_sha256 = row[9].as<std::string>();
      out.push_back(std::move(d));
    }
    return out;
  });
}

Result<std::vector<BucketCount>> PgDecisionLog::counts(const std::string& from,
                                                       const std::string& to, Bucket bucket) {
  return reading([&](pqxx::transaction_base& tx) {
    std::vector<BucketCount> out;
    for (CountKind kind : {CountKind::Decisions, CountKind::Reason, CountKind::Undetermined,
                           CountKind::Missing, CountKind::Incomplete})
      for (const auto& row : tx.exec_params(
               "SELECT substr(hour, 1, $1) COLLATE \"C\", name, sum(count)::bigint FROM "
               "decision_counts WHERE kind = $2 AND ($3 = '' OR hour || ':00:00Z' >= $3) AND "
               "($4 = '' OR hour || ':00:00Z' < $4) GROUP BY 1, 2 ORDER BY 1, 2",
               bucket == Bucket::Day ? 10 : 13, static_cast<int>(kind), from, to))
        out.push_back({row[0].as<std::string>(), kind, row[1].as<std::string>(),
                       row[2].as<int64_t>()});
    return out;
  });
}

Result<int64_t> PgDecisionLog::count() {
  // Records are numbered from 1 without a gap (the head row serialises appends): the head's
  // number is the count, without a scan of a table that only grows.
  return reading([&](pqxx::transaction_base& tx) {
    return tx.exec("SELECT seq FROM chain_head WHERE id = 1")[0][0].as<int64_t>();
  });
}

Result<ChainHead> PgDecisionLog::head() {
  return reading([&](pqxx::transaction_base& tx) {
    ChainHead h;
    auto r = tx.exec(
        "SELECT h.seq, h.hash, d.time FROM chain_head h JOIN decisions d ON d.seq = h.seq "
        "WHERE h.id = 1");
    if (!r.empty()) {
      h.seq = r[0][0].as<int64_t>();
      h.link = r[0][1].as<std::string>();
      h.time = r[0][2].as<std::string>();
    }
    return h;
  });
}

Result<ChainScheme> PgDecisionLog::chain_scheme() {
  return reading([&](pqxx::transaction_base& tx) { return read_chain_scheme(tx); });
}

Result<void> PgDecisionLog::chained_rows(const ChainKey& key, const RowVisit& visit) {
  return reading([&](pqxx::transaction_base& tx) { visit_chained_rows(tx, key, visit); });
}

}  // namespace kyc::store::postgres
