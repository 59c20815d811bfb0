// kyc accounts import FILE.csv: primary-KYC data in bulk. Columns (with a header line):
// account_id,full_name,birth_date,country,document_type,document_number. The number is hashed
// with the data folder's document key and never stored.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "adapters/store/account_store.h"
#include "adapters/store/document_key.h"
#include "cli/commands.h"
#include "engine/date.h"
#include "server/policy_store.h"

namespace kyc::cli {

namespace {

// One CSV record (RFC 4180: quoted fields, doubled quotes; no newlines inside fields).
std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"')
        out.back() += '"', ++i;
      else if (c == '"')
        quoted = false;
      else
        out.back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else if (c != '\r') {
      out.back() += c;
    }
  }
  return out;
}

}  // namespace

void add_accounts(CLI::App& app) {
  auto* accounts = app.add_subcommand("accounts", "Primary-KYC data of accounts");
  accounts->require_subcommand(1);
  auto* import = accounts->add_subcommand("import", "Load primary-KYC data from a CSV file");
  static std::string file, data_dir = "var";
  import
      ->add_option("file", file,
                   "CSV: account_id,full_name,birth_date,country,document_type,document_number")
      ->required()
      ->check(CLI::ExistingFile);
  import->add_option("--data-dir", data_dir, "The service's data folder")->capture_default_str();
  import->callback([] {
    namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  std::string error;
  auto key =
      store::DocumentKey::load_or_create((fs::path(data_dir) / "document.key").string(), error);
  auto store = key ? store::AccountStore::open((fs::path(data_dir) / "audit.db").string(),
                                               std::chrono::milliseconds(5000), error)
                   : nullptr;
  if (!store) {
    std::cerr << error << "\n";
    exit_code = 1;
    return;
  }
  std::ifstream in(file);
  std::string line;
  size_t number = 0, imported = 0, rejected = 0;
  const std::vector<std::string> header = {"account_id", "full_name",     "birth_date",
                                           "country",    "document_type", "document_number"};
  while (std::getline(in, line)) {
    ++number;
    auto f = csv_fields(line);
    if (number == 1) {
      if (f != header) {
        std::cerr
            << file
            << ":1: expected the header account_id,full_name,birth_date,country,document_type,"
            << "document_number\n";
        exit_code = 1;
        return;
      }
      continue;
    }
    if (line.empty()) continue;
    std::string why = f.size() != 6  ? "expected 6 fields, got " + std::to_string(f.size())
                      : f[0].empty() ? "empty account_id"
                      : f[5].empty() ? "empty document_number"
                      : !engine::parse_date(f[2]) ? "birth_date is not YYYY-MM-DD"
                                                  : "";
    if (why.empty() &&
        !store->set_primary({f[0], f[1], f[2], f[3], f[4], key->hash(f[5])}, server::now_rfc3339(),
                            why) &&
        why.empty())
      why = "not stored";
    if (!why.empty()) {
      std::cerr << file << ":" << number << ": " << why << "\n";
      ++rejected;
      continue;
    }
    ++imported;
  }
  std::cout << "imported " << imported << " accounts, " << rejected << " rejected\n";
  if (rejected) exit_code = 1;
});
}  // namespace kyc::cli

}  // namespace kyc::cli
