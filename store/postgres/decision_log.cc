#include "store/postgres/decision_log.h"

#include <map>
#include <tuple>

#include "store/chain.h"
#include "store/chained_rows.h"
#include "store/decision_summary.h"
#include "store/postgres/chain_records.h"
#include "store/postgres/connection.h"
#include "store/postgres/migrations.h"

namespace kyc::store::postgres {

namespace {

// RFC 3339 in the records' form, 24 hours ago: an idempotency key older than that is forgotten.
constexpr const char* kKeyWindowStart =
    "to_char((clock_timestamp() - interval '24 hours') AT TIME ZONE 'UTC', "
    "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";

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

// A summary's word list as the array column takes it (string_to_array in the insert); NULL for
// a record that is not a decision.
std::optional<std::string> words(const DecisionSummary& s, const std::vector<std::string>& list) {
  if (!s.is_decision) return std::nullopt;
  return join_words(list);
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

// Prepared once per writer connection: the writer runs them for every record of every batch.
void prepare_writer(pqxx::connection& c) {
  c.prepare("head", kLockHead);
  c.prepare("move_head", kMoveHead);
  c.prepare("prior", std::string("SELECT 1 FROM idempotency_keys WHERE scope = $1 AND "
                                 "created_at >= ") + kKeyWindowStart);
  c.prepare("others",
            "SELECT count(*) FROM document_links WHERE document_hash = $1 AND account_id <> $2");
  c.prepare("link",
            "INSERT INTO document_links (document_hash, account_id, decision_id, linked_at) "
            "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING");
  c.prepare("attempt",
            "INSERT INTO attempts (account_id, total, failed) VALUES ($1, 1, $2) ON CONFLICT "
            "(account_id) DO UPDATE SET total = attempts.total + 1, failed = attempts.failed + "
            "excluded.failed RETURNING total, failed");
  c.prepare("policy",
            "INSERT INTO policies (sha256, text, first_used) VALUES ($1, $2, $3) ON CONFLICT DO "
            "NOTHING");
  c.prepare("policy_file",
            "INSERT INTO policy_files (policy_sha256, path, file_sha256) VALUES ($1, $2, $3) ON "
            "CONFLICT DO NOTHING");
  c.prepare("file_content",
            "INSERT INTO file_contents (sha256, content) VALUES ($1, $2) ON CONFLICT DO NOTHING");
  c.prepare("insert",
            "INSERT INTO decisions (seq, decision_id, time, account_id, stage, facts, today, "
            "policy_sha256, decision, prev_hash, hash, effects, outcome, reasons, undetermined, "
            "missing, policy_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
            "$13, string_to_array($14, ' '), string_to_array($15, ' '), "
            "string_to_array($16, ' '), $17)");
  c.prepare("remember",
            "INSERT INTO idempotency_keys (scope, request_sha256, decision_id, created_at) VALUES "
            "($1, $2, $3, $4) ON CONFLICT (scope) DO UPDATE SET request_sha256 = "
            "excluded.request_sha256, decision_id = excluded.decision_id, created_at = "
            "excluded.created_at");
  c.prepare("forget", std::string("DELETE FROM idempotency_keys WHERE created_at < ") +
                          kKeyWindowStart);
  c.prepare("count",
            "INSERT INTO decision_counts (kind, hour, name, count) VALUES ($1, $2, $3, $4) ON "
            "CONFLICT (kind, hour, name) DO UPDATE SET count = decision_counts.count + "
            "excluded.count");
}

// The hourly counts of a batch, written once per batch (a handful of rows).
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

Result<std::unique_ptr<PgDecisionLog>> PgDecisionLog::open(const std::string& url,
                                                           const AuditOptions& options,
                                                           const ChainKey* key) {
  std::unique_ptr<PgDecisionLog> log(new PgDecisionLog());
  log->writer_db_ = std::make_unique<Session>(url, options.busy_timeout, prepare_writer);
  log->reader_db_ = std::make_unique<Session>(url, options.busy_timeout);
  log->url_ = url;
  for (Session* s : {log->writer_db_.get(), log->reader_db_.get()})
    if (auto connected = s->open(); !connected) return connected.error();
  auto version = as_result("cannot read the store's schema version", [&] {
    return log->writer_db_->run([](pqxx::connection& c) { return schema_version(c); });
  });
  if (!version) return version.error();
  if (*version == 0) return common::fail("the store has no tables yet: run kyc store migrate");
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
  auto version = as_result("cannot read the store's schema version", [&] {
    return log->reader_db_->run([](pqxx::connection& c) { return schema_version(c); });
  });
  if (!version) return version.error();
  if (*version == 0) return common::fail("the store holds no audit log yet");
  return log;
}

PgDecisionLog::~PgDecisionLog() {
  writer_.reset();
  listener_.reset();
}

void PgDecisionLog::watch_activations(std::function<void()> changed) {
  listener_.reset();
  if (changed) listener_ = std::make_unique<ActivationListener>(url_, std::move(changed));
}

void PgDecisionLog::append(AuditRecord record, Done done) {
  if (!writer_) return done(Commit::Failed);
  writer_->append(std::move(record), std::move(done));
}

void PgDecisionLog::deliver_results_with(Deliver deliver) {
  if (writer_) writer_->deliver_results_with(std::move(deliver));
}

bool PgDecisionLog::commit(GroupCommit::Batch& batch, std::vector<Commit>& results) {
  results.assign(batch.size(), Commit::Committed);
  try {
    // Never run twice: a batch that failed fails as a whole, and its callers hear so. A lost
    // connection is made again for the next batch.
    writer_db_->run([&](pqxx::connection& c) { commit_in(c, batch, results); },
                    Session::Retry::never);
  } catch (const std::exception&) {
    return false;  // rolled back: the head and every table are as they were
  }
  for (size_t i = 0; i < batch.size(); ++i)
    if (results[i] == Commit::Committed && batch[i].first.policy_text)
      stored_policies_.insert(batch[i].first.policy_sha256);
  return true;
}

void PgDecisionLog::commit_in(pqxx::connection& c, GroupCommit::Batch& batch,
                              std::vector<Commit>& results) {
  {
    pqxx::work tx(c);
    // The head row's lock orders this batch after every other replica's, and the checks below
    // (READ COMMITTED: each statement sees what committed before it) read their writes.
    auto head = tx.exec_prepared("head");
    int64_t seq = head[0][0].as<int64_t>();
    std::string hash = head[0][1].as<std::string>();
    HourCounts counts;
    std::vector<RowState> effects;
    for (size_t i = 0; i < batch.size(); ++i) {
      AuditRecord& r = batch[i].first;
      effects.clear();
      if (r.idempotency && !tx.exec_prepared("prior", r.idempotency->scope).empty()) {
        results[i] = Commit::Repeated;
        continue;
      }
      if (r.link) {
        // After the links of earlier records of this batch and of every other replica: two
        // approvals of one document can never both pass the account limit.
        int64_t now =
            tx.exec_prepared("others", r.link->document_hash, r.account_id)[0][0].as<int64_t>();
        if (now != r.link->other_accounts_seen) {
          results[i] = Commit::Conflict;
          continue;
        }
        auto linked = tx.exec_prepared("link", r.link->document_hash, r.account_id,
                                       r.decision_id, r.time);
        if (linked.affected_rows() > 0 && key_)
          effects.push_back(
              link_row(*key_, r.link->document_hash, r.account_id, r.decision_id, r.time));
      }
      if (!r.account_id.empty()) {
        auto attempt = tx.exec_prepared("attempt", r.account_id, r.failed_attempt ? 1 : 0);
        if (key_)
          effects.push_back(attempts_row(*key_, r.account_id, attempt[0][0].as<int64_t>(),
                                         attempt[0][1].as<int64_t>()));
      }
      if (r.policy_text && !stored_policies_.count(r.policy_sha256)) {
        tx.exec_prepared("policy", r.policy_sha256, *r.policy_text, r.time);
        if (r.policy_files)
          for (const auto& f : *r.policy_files) {
            tx.exec_prepared("policy_file", r.policy_sha256, f.path, f.sha256);
            tx.exec_prepared("file_content", f.sha256, f.content);
          }
      }
      ++seq;
      std::string prev = hash;
      if (key_) {
        r.effects = effects_json(effects);
        hash = keyed_link(*key_, prev, seq, r);
      } else {
        hash = chain_hash(prev, canonical_bytes(seq, r));
      }
      DecisionSummary s = summary_of(r);
      std::optional<std::string> outcome, version;
      if (s.is_decision) {
        outcome = s.outcome;
        version = s.policy_version;
      }
      std::optional<std::string> effects_text;
      if (!r.effects.empty()) effects_text = r.effects;
      tx.exec_prepared("insert", seq, r.decision_id, r.time, r.account_id, r.stage, r.facts,
                       r.today, r.policy_sha256, r.decision, prev, hash, effects_text, outcome,
                       words(s, s.reasons), words(s, s.undetermined), words(s, s.missing),
                       version);
      add_counts(counts, r.time, s);
      if (r.stage == kActivationStage)  // delivered at commit, to every replica's listener
        tx.exec(std::string("NOTIFY ") + kActivationChannel);
      if (r.idempotency)
        tx.exec_prepared("remember", r.idempotency->scope, r.idempotency->request_sha256,
                         r.decision_id, r.time);
    }
    for (const auto& [key, n] : counts)
      tx.exec_prepared("count", std::get<0>(key), std::get<1>(key), std::get<2>(key), n);
    tx.exec_prepared("move_head", seq, hash);
    constexpr int64_t kForgetEvery = 4096;
    if (++batches_ % kForgetEvery == 0) tx.exec_prepared("forget");
    tx.commit();
  }
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
