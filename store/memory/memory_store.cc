#include "store/memory/memory_store.h"

#include <set>

namespace kyc::store::memory {

int64_t MemoryStore::count_other_accounts(const std::string& document_hash,
                                          const std::string& account_id) const {
  int64_t n = 0;
  for (auto it = links_.lower_bound({document_hash, ""});
       it != links_.end() && it->first == document_hash; ++it)
    if (it->second != account_id) ++n;
  return n;
}

DecisionLog::Commit MemoryStore::commit(AuditRecord& r) {
  if (fail_appends_) return Commit::Failed;
  if (r.idempotency && idempotency_.count(r.idempotency->scope)) return Commit::Repeated;
  if (r.link) {
    if (count_other_accounts(r.link->document_hash, r.account_id) != r.link->other_accounts_seen)
      return Commit::Conflict;
    links_.insert({r.link->document_hash, r.account_id});
  }
  if (!r.account_id.empty() && r.failed_attempt) ++failed_[r.account_id];
  if (r.policy_text) policies_.emplace(r.policy_sha256, *r.policy_text);
  if (r.policy_files) policy_files_.emplace(r.policy_sha256, *r.policy_files);
  if (r.idempotency)
    idempotency_[r.idempotency->scope] =
        IdempotentDecision{r.idempotency->request_sha256, r.decision_id};
  StoredRecord s;
  s.seq = static_cast<int64_t>(records_.size()) + 1;
  s.prev_hash = records_.empty() ? kGenesisHash : records_.back().hash;
  s.hash = chain_hash(s.prev_hash, canonical_bytes(s.seq, r));
  s.record = std::move(r);
  s.record.policy_text.reset();
  s.record.policy_files.reset();
  s.record.link.reset();
  s.record.idempotency.reset();
  records_.push_back(std::move(s));
  return Commit::Committed;
}

void MemoryStore::append(AuditRecord record, Done done) {
  if (before_append_) before_append_();
  Commit result;
  {
    std::lock_guard lock(mutex_);
    result = commit(record);
  }
  std::function<void()> finish = [done = std::move(done), result] { done(result); };
  Deliver deliver;
  {
    std::lock_guard lock(deliver_mutex_);
    deliver = deliver_;
  }
  // Outside the lock: `done` may append again (a decision made again after a conflict).
  if (deliver)
    deliver(std::move(finish));
  else
    finish();
}

void MemoryStore::deliver_results_with(Deliver deliver) {
  std::lock_guard lock(deliver_mutex_);
  deliver_ = std::move(deliver);
}

Result<std::optional<StoredRecord>> MemoryStore::get(const std::string& decision_id) {
  std::lock_guard lock(mutex_);
  for (const auto& s : records_)
    if (s.record.decision_id == decision_id) return std::optional<StoredRecord>(s);
  return std::optional<StoredRecord>();
}

Result<void> MemoryStore::range(const std::string& from, const std::string& to,
                                const Visit& visit) {
  // A copy: the visitor may call back into the store (a policy text).
  std::vector<StoredRecord> records;
  {
    std::lock_guard lock(mutex_);
    records = records_;
  }
  for (const auto& s : records) {
    if (!from.empty() && s.record.time < from) continue;
    if (!to.empty() && s.record.time >= to) continue;
    if (!visit(s)) break;
  }
  return {};
}

Result<std::vector<std::string>> MemoryStore::idle_accounts(const std::string& cutoff,
                                                          const std::string& after, size_t limit) {
  std::lock_guard lock(mutex_);
  std::map<std::string, std::string> last;  // account -> its last record's time
  for (const auto& s : records_)
    if (!s.record.account_id.empty() && s.record.account_id > after)
      last[s.record.account_id] = std::max(last[s.record.account_id], s.record.time);
  std::vector<std::string> out;
  for (const auto& [account, time] : last)
    if (time < cutoff && out.size() < limit) out.push_back(account);
  return out;
}

Result<std::vector<std::string>> MemoryStore::days_without_account(const std::string& cutoff) {
  std::lock_guard lock(mutex_);
  std::set<std::string> days;
  for (const auto& s : records_)
    if (s.record.account_id.empty() && is_decision_stage(s.record.stage) &&
        s.record.time.substr(0, 10) < cutoff.substr(0, 10))
      days.insert(s.record.time.substr(0, 10));
  return std::vector<std::string>(days.begin(), days.end());
}

Result<std::vector<StoredRecord>> MemoryStore::account_records(const std::string& account_id,
                                                               int64_t after, size_t limit) {
  std::lock_guard lock(mutex_);
  std::vector<StoredRecord> out;
  for (const auto& s : records_)
    if (s.record.account_id == account_id && s.seq > after && out.size() < limit)
      out.push_back(s);
  return out;
}

Result<std::optional<std::string>> MemoryStore::policy_text(const std::string& sha256) {
  std::lock_guard lock(mutex_);
  auto it = policies_.find(sha256);
  if (it == policies_.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

Result<std::vector<PolicyFile>> MemoryStore::policy_files(const std::string& sha256) {
  std::lock_guard lock(mutex_);
  auto it = policy_files_.find(sha256);
  return it == policy_files_.end() ? std::vector<PolicyFile>() : it->second;
}
Result<std::vector<StoredRecord>> MemoryStore::activations() {
  std::lock_guard lock(mutex_);
  std::vector<StoredRecord> out;
  for (const auto& s : records_)
    if (s.record.stage == kActivationStage) out.push_back(s);
  return out;
}

Result<ChainHead> MemoryStore::head() {
  std::lock_guard lock(mutex_);
  ChainHead h;
  if (!records_.empty()) {
    h.seq = records_.back().seq;
    h.link = records_.back().hash;
    h.time = records_.back().record.time;
  }
  return h;
}

Result<int64_t> MemoryStore::count() {
  std::lock_guard lock(mutex_);
  return static_cast<int64_t>(records_.size());
}

Result<std::optional<IdempotentDecision>> MemoryStore::idempotent(const std::string& scope) {
  std::lock_guard lock(mutex_);
  auto it = idempotency_.find(scope);
  if (it == idempotency_.end()) return std::optional<IdempotentDecision>();
  return std::optional<IdempotentDecision>(it->second);
}

Result<void> MemoryStore::set_primary(const PrimaryData& data, const std::string&) {
  std::lock_guard lock(mutex_);
  accounts_[data.account_id] = data;
  return {};
}

Result<void> MemoryStore::set_primary_batch(const std::vector<PrimaryData>& batch,
                                            const std::string&) {
  std::lock_guard lock(mutex_);
  for (const auto& d : batch) accounts_[d.account_id] = d;
  return {};
}

Result<std::optional<PrimaryData>> MemoryStore::primary(const std::string& account_id) {
  std::lock_guard lock(mutex_);
  auto it = accounts_.find(account_id);
  if (it == accounts_.end()) return std::optional<PrimaryData>();
  return std::optional<PrimaryData>(it->second);
}

Result<int64_t> MemoryStore::other_accounts(const std::string& document_hash,
                                            const std::string& account_id) {
  std::lock_guard lock(mutex_);
  return count_other_accounts(document_hash, account_id);
}

Result<int64_t> MemoryStore::failed_attempts(const std::string& account_id) {
  std::lock_guard lock(mutex_);
  auto it = failed_.find(account_id);
  return it == failed_.end() ? int64_t{0} : it->second;
}

void MemoryStore::overwrite(const StoredRecord& record) {
  std::lock_guard lock(mutex_);
  if (record.seq >= 1 && record.seq <= static_cast<int64_t>(records_.size()))
    records_[record.seq - 1] = record;
}

}  // namespace kyc::store::memory
