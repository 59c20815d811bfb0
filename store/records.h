// What the store keeps: decision records (chained, see chain.h), primary-KYC data of accounts,
// and what an idempotency key remembers. Plain values, the same for every backend.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kyc::store {

// A list or table a policy read (list(...), table(...)): kept with the policy's text, so a
// replay reads the files of the time.
struct PolicyFile {
  std::string path;  // relative to the policy's folder, as the policy names it
  std::string sha256;
  std::string content;
};

// The columns a search filters on (decision_summary.h): kept beside a record, never chained.
struct DecisionSummary {
  bool is_decision = false;  // false for an activation (or a record that does not read)
  std::string outcome;
  std::vector<std::string> reasons;       // fired codes, in the decision's order
  std::vector<std::string> undetermined;  // codes
  std::vector<std::string> missing;       // facts the undetermined reasons missed, each once
  std::string policy_version;
};

struct AuditRecord {
  std::string decision_id;
  std::string time;        // RFC 3339, UTC: when the decision was made
  std::string account_id;  // "" when the request named none
  // "evaluate"; "verification" for image submissions; kActivationStage for a policy that
  // became the running one (its `decision` is then the activation, see service/activations.h)
  std::string stage;
  std::string facts;  // JSON, dotted names: every fact seen (service/recorded_facts.h)
  std::string today;          // the clock's date used as `today`
  std::string policy_sha256;  // the policy text is stored once under this key
  std::shared_ptr<const std::string> policy_text;
  std::shared_ptr<const std::vector<PolicyFile>> policy_files;  // stored with the text
  std::string decision;  // the decision JSON exactly as answered
  // The account-table rows this record changed, as the chain states them (chain.h, "Chained
  // rows"): JSON, [[table, key, keyed digest of the row], ...]; "" for none, and for every
  // record of a plain (unkeyed) chain. Filled by the backend as it commits.
  std::string effects;
  // The search columns of `decision`, when the service has them at hand; a backend that gets
  // none reads them from the JSON (summarize()). Not stored as such, not chained.
  std::optional<DecisionSummary> summary;

  // Account-store changes committed in the same transaction as the record.
  struct DocumentLink {
    std::string document_hash;        // keyed hash of the document number (never the number)
    int64_t other_accounts_seen = 0;  // what the decision read as account.document_accounts
  };
  std::optional<DocumentLink> link;  // an approve links the document to account_id
  bool failed_attempt = false;       // counts towards the account's failed attempts

  // A request sent with an Idempotency-Key: the key is kept with the decision it made, so a
  // retry gets that decision back instead of a second one (and a second attempt).
  struct Idempotency {
    std::string scope;           // SHA-256 of the caller's token and the key (neither kept)
    std::string request_sha256;  // of the route and the body: the same key for another request
  };
  std::optional<Idempotency> idempotency;
};

inline constexpr const char* kActivationStage = "activation";
// Records of the chain itself, not decisions: where a log switches to keyed links
// (chain.h), and changes to accounts made outside a decision (a primary-data upload).
inline constexpr const char* kChainSchemeStage = "chain-scheme";
inline constexpr const char* kAccountChangeStage = "account-change";
inline bool is_chain_stage(std::string_view stage) {
  return stage == kChainSchemeStage || stage == kAccountChangeStage;
}
// A decision, not a policy activation nor a record of the chain itself.
inline bool is_decision_stage(std::string_view stage) {
  return stage != kActivationStage && !is_chain_stage(stage);
}

struct StoredRecord {
  int64_t seq = 0;
  AuditRecord record;  // policy_text left null: read it with DecisionLog::policy_text
  std::string prev_hash;
  std::string hash;
};

// What a key remembers, for 24 hours.
struct IdempotentDecision {
  std::string request_sha256;
  std::string decision_id;
};

// Primary-KYC data per account (the first, non-document step).
struct PrimaryData {
  std::string account_id;
  std::string full_name;
  std::string birth_date;  // YYYY-MM-DD
  std::string country;
  std::string document_type;
  std::string document_hash;  // DocumentKey::hash of the number
};

}  // namespace kyc::store
