// The decision log: every decision, durable before it is answered, chained by SHA-256 (chain.h)
// so that an edited, removed, reordered or inserted record is detected. The service depends on
// this interface only; store/sqlite/ and store/memory/ implement it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/decision_query.h"
#include "store/records.h"

namespace kyc::store {

using common::Result;

class ChainKey;

// The last record: its sequence number, link and time (0, 64 zeros and "" for an empty log).
struct ChainHead {
  int64_t seq = 0;
  std::string link = std::string(64, '0');
  std::string time;
};

// What the log says of its links (a small meta table): from which record on they are keyed,
// and with which key (ChainKey::id). keyed_from 0: a plain log (made before keyed chains).
struct ChainScheme {
  int64_t keyed_from = 0;
  std::string key_id;
};

class DecisionLog {
 public:
  virtual ~DecisionLog() = default;

  // How an append ended: Committed; Failed (disk full, read-only, locked); Conflict (the
  // document gained another account after the decision read its links: the decision is stale
  // and was not recorded, decide again); Repeated (its idempotency key was recorded by
  // another decision meanwhile: not recorded, answer with that one).
  enum class Commit { Committed, Failed, Conflict, Repeated };
  using Done = std::function<void(Commit)>;
  // Queues a record with its account-store changes (a document link, an attempt), which
  // commit in the same transaction; `done` runs once it is durable, or failed.
  virtual void append(AuditRecord record, Done done) = 0;

  // Where `done` callbacks run. Unset, wherever the backend commits. A server hands each
  // committed batch to its io thread in one go. Resetting it (empty) returns only when no
  // batch is being handed over.
  using Deliver = std::function<void(std::function<void()>)>;
  virtual void deliver_results_with(Deliver deliver) = 0;

  virtual Result<std::optional<StoredRecord>> get(const std::string& decision_id) = 0;
  // Records in sequence order with from <= time < to ("" = unbounded); stop by returning false.
  using Visit = std::function<bool(const StoredRecord&)>;
  virtual Result<void> range(const std::string& from, const std::string& to,
                             const Visit& visit) = 0;
  // One account's records after sequence number `after`, oldest first, at most `limit`.
  virtual Result<std::vector<StoredRecord>> account_records(const std::string& account_id,
                                                            int64_t after, size_t limit) = 0;
  // Retention (service/retention.h): accounts with an id after `after` whose last record is
  // older than `cutoff` (a time or a date: compared as text), in id order, at most `limit`.
  virtual Result<std::vector<std::string>> idle_accounts(const std::string& cutoff,
                                                         const std::string& after,
                                                         size_t limit) = 0;
  // The days (YYYY-MM-DD) before `cutoff`'s day on which decisions without an account were made.
  virtual Result<std::vector<std::string>> days_without_account(const std::string& cutoff) = 0;
  virtual Result<std::optional<std::string>> policy_text(const std::string& sha256) = 0;
  // The lists and tables that policy read, by path (none for most policies).
  virtual Result<std::vector<PolicyFile>> policy_files(const std::string& sha256) = 0;
  virtual Result<int64_t> count() = 0;
  // The policy activations (records of kActivationStage), oldest first.
  virtual Result<std::vector<StoredRecord>> activations() = 0;
  // Decisions matching `query` (activations never), newest first, at most query.limit.
  virtual Result<std::vector<DecisionRow>> search(const DecisionQuery& query) = 0;
  // The hourly counts of the hours starting in [from, to) (RFC 3339 UTC, "" = unbounded),
  // summed per bucket, kind and name.
  virtual Result<std::vector<BucketCount>> counts(const std::string& from, const std::string& to,
                                                  Bucket bucket) = 0;
  // The decision an idempotency key made within the last 24 hours, if any.
  virtual Result<std::optional<IdempotentDecision>> idempotent(const std::string& scope) = 0;

  // Several services writing one store (PostgreSQL replicas): `changed` runs, on a thread of
  // the backend's, when another writer may have recorded a policy activation, so that every
  // replica runs the policy activated last. A store that one service alone writes never calls
  // it. An empty `changed` stops watching (it returns once no call is running).
  virtual void watch_activations(std::function<void()> changed) { (void)changed; }
  // Why the log cannot take records now, when the backend knows without asking (a database
  // it lost and has not reached again): /readyz answers 503 with it. Cheap: no I/O.
  virtual std::optional<std::string> unavailable() const { return std::nullopt; }

  virtual Result<ChainHead> head() = 0;
  virtual Result<ChainScheme> chain_scheme() { return ChainScheme{}; }
  // The account-table rows the chain covers as they are now, each as (table, key, keyed
  // digest: chain.h's row_digest), for verify_chain to compare with what the records stated.
  // A backend whose chain is not keyed has none.
  using RowVisit = std::function<void(const std::string& table, const std::string& key,
                                      const std::string& digest)>;
  virtual Result<void> chained_rows(const ChainKey& key, const RowVisit& visit) {
    (void)key;
    (void)visit;
    return {};
  }
};

// Opens a second, read-only handle on the same log, for a long read (a chain check from the
// console) that must not hold up the service's own reads. Unset when the backend cannot (the
// memory store): the long read then shares the service's handle.
using OpenLogReader = std::function<Result<std::unique_ptr<DecisionLog>>()>;

}  // namespace kyc::store
