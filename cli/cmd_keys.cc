// kyc keys rotate: moves every account's data key from the current master key to a new one.
// Only the wrapped data keys change (one transaction, all or none): the personal data sealed
// under the data keys, and every decision record and its chain, stay byte for byte as they
// are. The old key file is left in place for the operator to retire once the service runs
// with the new one.
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "service/startup.h"
#include "store/master_key.h"
#include "store/backend/open.h"

namespace kyc::cli {

namespace {

struct RotateOptions {
  std::string data_dir = "var";
  std::string store;            // empty: the data folder's SQLite file
  std::string master_key_file;  // empty: DATA_DIR/master.key
  std::string new_master_key_file;
  std::chrono::milliseconds busy_timeout{5000};
};

int rotate(const RotateOptions& options) {
  namespace fs = std::filesystem;
  auto failed = [](const std::string& why) {
    std::cerr << "kyc keys rotate: " << why << "\n";
    return 1;
  };
  auto where = store_location(options.store, options.data_dir);
  if (!where) return 1;
  auto exists = store::log_exists(*where);
  if (!exists) return failed(exists.error().message);
  if (!*exists)
    return failed(where->describe() + ": no audit log here, so no data keys to re-wrap");
  std::error_code ec;
  std::string current_file = options.master_key_file.empty()
                                 ? store::default_master_key_path(options.data_dir)
                                 : options.master_key_file;
  if (fs::exists(options.new_master_key_file, ec) &&
      fs::equivalent(current_file, options.new_master_key_file, ec))
    return failed("the new master key file is the current one (" + current_file + ")");
  // The current key must exist: a made-up one would unwrap nothing.
  auto current = store::FileMasterKey::load(current_file);
  if (!current) return failed(current.error().message);
  bool created = !fs::exists(options.new_master_key_file, ec);
  auto next = store::FileMasterKey::load_or_create(options.new_master_key_file);
  if (!next) return failed(next.error().message);
  // The document key is the store's key for erased-account digests; rotate reads none.
  auto document_key = service::open_document_key(options.data_dir);
  if (!document_key) return failed(document_key.error().message);
  auto keys = store::open_account_keys(*where, std::move(*current), document_key->mac(),
                                       options.busy_timeout);
  if (!keys) return failed(keys.error().message);
  std::string next_id = (*next)->key_id();
  auto rewrapped = (*keys)->rewrap_all(std::move(*next));
  if (!rewrapped) {
    // Nothing was re-wrapped: a key file made for this run would only confuse.
    if (created) fs::remove(options.new_master_key_file, ec);
    return failed(rewrapped.error().message);
  }
  std::cout << "re-wrapped " << *rewrapped << " data keys under master key " << next_id << " ("
            << options.new_master_key_file << (created ? ", created now" : "") << ")\n";
  std::cerr << "From now on the data keys open with " << options.new_master_key_file
            << ": move it to " << store::default_master_key_path(options.data_dir)
            << " (or pass it as --master-key to the next rotation), and retire the old key file "
            << current_file << " once no backup made before now is kept.\n";
  return 0;
}

}  // namespace

void add_keys(CLI::App& app) {
  auto* cmd = app.add_subcommand("keys", "The master key that wraps the per-account data keys");
  cmd->require_subcommand(1);
  static RotateOptions options;
  auto* rotate_cmd = cmd->add_subcommand(
      "rotate",
      "Re-wrap every account's data key under a new master key (records are not touched)");
  rotate_cmd->add_option("--data-dir", options.data_dir, "The service's data folder")
      ->capture_default_str();
  add_store_option(rotate_cmd, options.store);
  rotate_cmd->add_option("--master-key", options.master_key_file,
                         "The current master key (default DATA_DIR/master.key)");
  rotate_cmd
      ->add_option("--new-master-key", options.new_master_key_file,
                   "The new master key: 32 bytes; created (0600) when the file does not exist")
      ->required();
  add_busy_timeout(rotate_cmd, options.busy_timeout);
  rotate_cmd->callback([] { exit_code = rotate(options); });
}

}  // namespace kyc::cli
