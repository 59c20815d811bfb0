// What a command opens to seal or read personal data in a data folder (personal_seal.h): the
// master key, the per-account data keys it wraps, and the document key under which erased
// accounts and document numbers are kept as digests. One opener for `kyc serve` and the
// commands that read or erase records, so that all find the keys in the same place.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "common/result.h"
#include "service/personal_seal.h"
#include "store/account_keys.h"
#include "store/document_key.h"
#include "store/location.h"

namespace kyc::cli {

struct PersonalData {
  std::unique_ptr<store::DocumentKey> document_key;
  std::unique_ptr<store::AccountKeys> keys;
  std::unique_ptr<service::PersonalSeal> seal;
  std::string master_key_id;
};

enum class MasterKeyMissing {
  create,  // the service's first start makes it (0600)
  fail,    // a command that erases must not work on a key it made up
  absent,  // a reader without the key: nullopt, and sealed facts stay sealed
};

// `master_key_file` "" means DATA_DIR/master.key.
// The data keys are in the store `where`; the key files in `data_dir`.
common::Result<std::optional<PersonalData>> open_personal_data(
    const store::StoreLocation& where, const std::string& data_dir,
    const std::string& master_key_file,
    std::chrono::milliseconds busy_timeout, MasterKeyMissing missing);

}  // namespace kyc::cli
