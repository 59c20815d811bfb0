// Per-account data keys: personal facts of an account are sealed (common/aead.h) under its
// own data key, and erasing the account destroys that key, so that its personal data becomes
// unreadable everywhere (records, backups, replicas) while the records and their hash chain
// stay as they are. The keys are kept wrapped by the master key (store/master_key.h).
//
// An erased account is remembered (by a keyed digest of its id, not the id itself) so that a
// reader can tell "erased" from "never had personal data", and so that no new key is made
// for it: a new key would not open the old data anyway, and would hide that it was erased.
// store/sqlite/ and store/memory/ implement it.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/secret_key.h"
#include "store/master_key.h"

namespace kyc::store {

// What a reader finds for an account.
struct DataKeyLookup {
  enum class State { present, erased, never_created };
  State state = State::never_created;
  std::optional<common::SecretKey> key;  // when present
  std::string erased_at;                 // when erased
};

// What an erasure did.
struct Erasure {
  enum class Outcome {
    key_destroyed,   // the account had a data key; it is gone
    no_key_held,     // it had none; the account is marked erased all the same
    already_erased,  // erased before (erased_at says when); nothing changed
  };
  Outcome outcome = Outcome::key_destroyed;
  std::string erased_at;
  // False when another connection kept SQLite from truncating its WAL (a long read): the
  // wrapped key's old bytes may stay in audit.db-wal until the next checkpoint.
  bool storage_scrubbed = true;
};

// "key-destroyed", "no-key-held", "already-erased": as the API and the CLI report it.
inline const char* outcome_name(Erasure::Outcome o) {
  switch (o) {
    case Erasure::Outcome::key_destroyed:
      return "key-destroyed";
    case Erasure::Outcome::no_key_held:
      return "no-key-held";
    case Erasure::Outcome::already_erased:
      break;
  }
  return "already-erased";
}

class AccountKeys {
 public:
  virtual ~AccountKeys() = default;

  // The account's data key, made and stored on first use (for writing personal data). An
  // error, naming the time, when the account was erased.
  virtual common::Result<common::SecretKey> data_key(const std::string& account_id,
                                                     const std::string& now) = 0;
  // The data keys of many accounts at once, made where missing, all or none: a bulk import
  // pays one transaction per batch instead of one per account. The base asks one at a time.
  virtual common::Result<std::vector<common::SecretKey>> data_keys(
      const std::vector<std::string>& account_ids, const std::string& now);
  // The account's data key for reading: never makes one.
  virtual common::Result<DataKeyLookup> find_data_key(const std::string& account_id) = 0;
  // Destroys the account's data key and remembers that the account was erased.
  virtual common::Result<Erasure> erase(const std::string& account_id, const std::string& now) = 0;
  // Re-wraps every data key under `next`, all or none; from then on this store uses `next`.
  // An error, with nothing changed, when a key does not unwrap under the current master key.
  // Returns how many keys were re-wrapped.
  virtual common::Result<size_t> rewrap_all(std::shared_ptr<const MasterKey> next) = 0;
};

inline common::Result<std::vector<common::SecretKey>> AccountKeys::data_keys(
    const std::vector<std::string>& account_ids, const std::string& now) {
  std::vector<common::SecretKey> out;
  out.reserve(account_ids.size());
  for (const auto& id : account_ids) {
    auto key = data_key(id, now);
    if (!key) return key.error();
    out.push_back(std::move(*key));
  }
  return out;
}

}  // namespace kyc::store
