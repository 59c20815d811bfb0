// Personal data at rest (docs/personal-data.md): the personal facts of a record are sealed
// (AES-256-GCM, common/aead.h) under the data key of the account the decision was for, so
// that erasing the account (destroying its key, store/account_keys.h) makes them unreadable
// everywhere while the record and its hash chain stay as they are; the chain covers the
// sealed text.
//
// In a record's facts a sealed value stands where the value stood, as an object (a recorded
// fact is never one: recorded_facts.h flattens objects to dotted names):
//   "document.name": {"sealed": "<base64 of the sealed JSON value>"}
//   "document.number": {"sealed": "...", "hmac": "<DocumentKey::hash of the number>"}
//   "file.sha256": {"sealed": "...", "hmac": "<keyed digest of the photo's hash>"}
// A document number keeps its keyed hash beside it, as the account store does, and a photo's
// hash a keyed digest: links between documents and photos sent twice survive an erasure,
// and neither the number nor the plain hash stands in the log. The associated data binds
// each value to its key holder and its fact name: a sealed value moved to another account or
// fact does not open.
//
// A decision without an account is sealed under the key of its day ("day" holder, the
// record's UTC date): erasable as a whole by retention, never by anyone's request.
//
// The decision JSON of a record keeps the answer with the personal values withheld
// (personal_facts.h, kWithheld) from the messages that quote them; replay withholds its own
// rendering the same way before it compares.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "engine/fact_schema.h"
#include "store/account_keys.h"
#include "store/document_key.h"
#include "store/records.h"

namespace kyc::service {

using common::Result;

// A record's facts as they were seen, opened.
struct OpenedFacts {
  std::string facts;                    // JSON, as recorded_facts() made it; erased facts left out
  std::vector<std::string> erased;      // names of the facts whose key was destroyed
  std::vector<std::string> personal;    // the opened personal values, as JSON text shows them
  std::string erased_at;                // when they were erased ("" if none)
};

// Unwrapped data keys are kept in memory, so that a decision does not pay a look-up and an
// unwrap: at most `max_keys` (past it the cache starts again), each for `key_lifetime`, which
// bounds how long an erasure made elsewhere (`kyc accounts erase`, another replica) goes
// unseen by a running service.
struct KeyCacheLimits {
  size_t max_keys = 8192;
  std::chrono::milliseconds key_lifetime{5000};
};

class PersonalSeal {
 public:
  PersonalSeal(store::AccountKeys& keys, const store::DocumentKey& document_key,
               KeyCacheLimits cache = {})
      : keys_(keys), document_key_(document_key), cache_limits_(cache) {}

  // Seals the personal facts of `record.facts` (the service's own and those `policy_facts`
  // marks personal, the caller's withheld claims included) under the key of the record's
  // account or day, and withholds their values from `record.decision`. An error when the
  // account was erased or the key store fails: nothing is then recorded.
  // `number_hash`: DocumentKey::hash of document.number when the caller has it already (the
  // account look-up made it), so that it is not computed twice.
  Result<void> seal(store::AuditRecord& record, const engine::FactSchema& policy_facts,
                    const std::optional<std::string>& number_hash = std::nullopt);

  // The record's facts in clear, with the names of those whose key is gone. A record with
  // nothing sealed comes back as it is. An error when a sealed value does not open (a wrong
  // master key, an altered record).
  Result<OpenedFacts> open(const store::AuditRecord& record);

  // One value of an account (the account store's primary data), sealed and opened the same
  // way: `field` is its name in the associated data. open_value gives nullopt once erased.
  Result<std::string> seal_value(const std::string& account_id, std::string_view field,
                                 std::string_view value, const std::string& now);
  Result<std::optional<std::string>> open_value(const std::string& account_id,
                                                std::string_view field, std::string_view sealed);

  // Makes (or finds) the keys of many accounts in one go and keeps them at hand, so that
  // seal_value for each of them pays no look-up: a bulk import.
  Result<void> prepare_keys(const std::vector<std::string>& account_ids, const std::string& now);

  // Destroys the account's data key (store/account_keys.h) and forgets it here.
  Result<store::Erasure> erase_account(const std::string& account_id, const std::string& now);
  // The same for the key of the decisions without an account made on `date` (YYYY-MM-DD).
  Result<store::Erasure> erase_day(const std::string& date, const std::string& now);

  // True when the account was erased (false too when the key store cannot say).
  bool erased(const std::string& account_id);

  // The key holder of a record: its account, or its day when it has none.
  static std::string holder_of(const store::AuditRecord& record);
  static std::string account_holder(const std::string& account_id) { return "account:" + account_id; }
  static std::string day_holder(const std::string& date) { return "day:" + date; }

 private:
  Result<common::SecretKey> key_for_writing(const std::string& holder, const std::string& now);
  // nullopt when the holder's key was erased (erased_at set then).
  Result<std::optional<common::SecretKey>> key_for_reading(const std::string& holder,
                                                           std::string* erased_at);
  Result<store::Erasure> erase_holder(const std::string& holder, const std::string& now);

  store::AccountKeys& keys_;
  const store::DocumentKey& document_key_;
  struct CachedKey {
    common::SecretKey key;
    std::chrono::steady_clock::time_point expires;
    // Values open_value opened under this key (field and sealed text -> value): an account's
    // primary data is read by each of its decisions. They go when the key goes.
    std::unordered_map<std::string, std::string> opened;
  };
  static constexpr size_t kOpenedPerKey = 8;
  // Under mutex_: the entry of a holder if it is cached and still fresh, and caching a key.
  CachedKey* cached(const std::string& holder);
  void cache(const std::string& holder, const common::SecretKey& key);
  KeyCacheLimits cache_limits_;
  std::mutex mutex_;
  std::unordered_map<std::string, CachedKey> cache_;  // under mutex_
};

// The record's facts for a reader: opened by `seal`, or as recorded when there is none (an
// error then if some are sealed: the master key is needed).
Result<OpenedFacts> open_facts(const store::AuditRecord& record, PersonalSeal* seal);

}  // namespace kyc::service
