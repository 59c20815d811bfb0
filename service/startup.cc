#include "service/startup.h"

#include <filesystem>

namespace kyc::service {

namespace fs = std::filesystem;

Result<void> prepare_data_dir(const std::string& dir, const StartupReport& report) {
  std::error_code ec;
  bool existed = fs::exists(dir, ec);
  fs::create_directories(dir, ec);
  if (ec) return common::fail("cannot create --data-dir " + dir + ": " + ec.message());
  if (!existed) fs::permissions(dir, fs::perms::owner_all, ec);
  auto mode = fs::status(dir, ec).permissions();
  if ((mode & (fs::perms::group_all | fs::perms::others_all)) != fs::perms::none)
    report({"data_dir_open",
            true,
            {{"detail", "the data folder is readable by other users; chmod 700 it"}}});
  for (const char* name : {"audit.db", "audit.db-wal", "audit.db-shm", "document.key", "tokens",
                           "chain.key", "checkpoint.key"}) {
    fs::path f = fs::path(dir) / name;
    if (fs::is_regular_file(fs::symlink_status(f, ec)))
      fs::permissions(f, fs::perms::owner_read | fs::perms::owner_write, ec);
  }
  return {};
}

Result<std::unique_ptr<TokenFile>> open_tokens(
    const TokenOptions& options, const StartupReport& report,
    const std::function<void(const std::string&)>& show_once) {
  std::string path = options.tokens_file.empty()
                         ? (fs::path(options.data_dir) / "tokens").string()
                         : options.tokens_file;
  std::error_code ec;
  if (options.tokens_file.empty() && options.existing_folder && !fs::exists(path, ec))
    return common::fail(path +
                        " is missing, and this data folder is not new: create tokens with `kyc "
                        "tokens new --roles ROLES --file " +
                        path +
                        "` (a development token with every role is made only in a new folder)");
  if (options.tokens_file.empty()) {
    auto token = create_development_tokens(path);
    if (!token) return token.error();
    if (!token->empty()) {
      report({"development_token_created",
              true,
              {{"file", path},
               {"detail",
                "one token with every role; its hash is in the file, the token itself is "
                "printed once on standard error"}}});
      show_once(*token);
    }
  }
  auto tokens = TokenFile::open(path);
  if (!tokens) return tokens.error();
  auto loaded = (*tokens)->current();
  report({"tokens", false, {{"file", path}, {"tokens", static_cast<int64_t>(loaded->size())}}});
  for (int line : loaded->clear_lines())
    report({"token_in_clear",
            true,
            {{"file", path},
             {"line", int64_t{line}},
             {"detail",
              "this line holds a token in clear; replace it by `sha256:HASH ROLES` (kyc tokens "
              "hash prints the line)"}}});
  return tokens;
}

Result<bool> first_start(const DataKeys& keys) {
  std::error_code ec;
  if (!fs::exists(keys.chain, ec)) return true;
  if (fs::exists(keys.document, ec)) return false;
  return common::fail("the document key " + keys.document + " is missing while the chain key " +
                      keys.chain +
                      " exists, so it was lost. Restore it from your backup: a new one would not "
                      "recognise the documents linked to accounts under the old one, and "
                      "DOC_ACCOUNT_LIMIT would let them through again");
}

Result<store::DocumentKey> open_document_key(const std::string& data_dir) {
  return store::DocumentKey::load_or_create((fs::path(data_dir) / "document.key").string());
}

}  // namespace kyc::service
