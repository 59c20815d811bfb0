// The per-account data keys in SQLite, in the same file as the decision log (audit.db): one
// row per account with its wrapped key and the id of the master key that wrapped it, and one
// row per erased account (a keyed digest of its id and the time).
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "common/hmac_sha256.h"
#include "store/account_keys.h"

namespace kyc::store::sqlite {

class SqliteAccountKeys final : public AccountKeys {
 public:
  // `master`: wraps and unwraps the data keys. `erased_ids`: the key under which erased
  // accounts are remembered (the data folder's document key); it must stay the same across
  // master key rotations, which is why it is not derived from the master key.
  static common::Result<std::unique_ptr<SqliteAccountKeys>> open(
      const std::string& path, std::shared_ptr<const MasterKey> master,
      common::HmacSha256 erased_ids, std::chrono::milliseconds busy_timeout);

  common::Result<common::SecretKey> data_key(const std::string& account_id,
                                             const std::string& now) override;
  common::Result<std::vector<common::SecretKey>> data_keys(
      const std::vector<std::string>& account_ids, const std::string& now) override;
  common::Result<DataKeyLookup> find_data_key(const std::string& account_id) override;
  common::Result<Erasure> erase(const std::string& account_id, const std::string& now) override;
  common::Result<size_t> rewrap_all(std::shared_ptr<const MasterKey> next) override;

 private:
  SqliteAccountKeys(const std::string& path, std::shared_ptr<const MasterKey> master,
                    common::HmacSha256 erased_ids)
      : master_(std::move(master)),
        erased_ids_(std::move(erased_ids)),
        db_(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE) {}
  template <typename Use>
  auto locked(const char* what, Use use) -> decltype(use());
  SQLite::Statement& prepared(std::unique_ptr<SQLite::Statement>& slot, const char* sql);

  std::optional<WrappedKey> stored_key(const std::string& account_id);  // under mutex_
  std::optional<std::string> erased_at(const std::string& account_id);  // under mutex_
  std::string erased_digest(const std::string& account_id) const;
  bool truncate_wal();  // under mutex_
  // Makes and stores a key for an account that has none and was not erased; under mutex_, in
  // the caller's IMMEDIATE transaction.
  common::Result<common::SecretKey> make_key(const std::string& account_id, const std::string& now);

  std::shared_ptr<const MasterKey> master_;  // under mutex_ (rewrap_all replaces it)
  common::HmacSha256 erased_ids_;
  std::mutex mutex_;
  SQLite::Database db_;
  std::unique_ptr<SQLite::Statement> select_key_, select_erased_;  // under mutex_
};

}  // namespace kyc::store::sqlite
