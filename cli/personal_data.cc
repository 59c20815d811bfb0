#include "cli/personal_data.h"

#include <filesystem>

#include "service/startup.h"
#include "store/master_key.h"
#include "store/backend/open.h"

namespace kyc::cli {

common::Result<std::optional<PersonalData>> open_personal_data(
    const store::StoreLocation& where, const std::string& data_dir,
    const std::string& master_key_file,
    std::chrono::milliseconds busy_timeout, MasterKeyMissing missing) {
  std::string file =
      master_key_file.empty() ? store::default_master_key_path(data_dir) : master_key_file;
  std::error_code ec;
  if (missing == MasterKeyMissing::absent && !std::filesystem::exists(file, ec))
    return std::optional<PersonalData>();
  auto master = missing == MasterKeyMissing::create ? store::FileMasterKey::load_or_create(file)
                                                    : store::FileMasterKey::load(file);
  if (!master) return master.error();
  PersonalData out;
  out.master_key_id = (*master)->key_id();
  auto document_key = service::open_document_key(data_dir);
  if (!document_key) return document_key.error();
  out.document_key = std::make_unique<store::DocumentKey>(std::move(*document_key));
  auto keys = store::open_account_keys(where, std::move(*master), out.document_key->mac(),
                                       busy_timeout);
  if (!keys) return keys.error();
  out.keys = std::move(*keys);
  out.seal = std::make_unique<service::PersonalSeal>(*out.keys, *out.document_key);
  return std::optional<PersonalData>(std::move(out));
}

}  // namespace kyc::cli
