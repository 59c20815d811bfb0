// kyc accounts erase ID: the account's personal data made unreadable (docs/personal-data.md).
// kyc accounts import FILE.csv: primary-KYC data in bulk. Columns (with a header line):
// account_id,full_name,birth_date,country,document_type,document_number. The number is hashed
// with the data folder's document key and never stored.
//
// Rows are written in batches, one transaction (one disk sync) each. A row that cannot be
// imported is named by its line and skipped before it reaches a batch; a batch the database
// refuses is rolled back whole, named by its lines, and the import stops there. Importing a
// file again is safe: each row replaces the account's data. Names and birth dates are sealed
// under each account's data key (service/sealed_accounts.h).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "cli/bulk/csv.h"
#include "cli/bulk/progress.h"
#include "cli/commands.h"
#include "cli/personal_data.h"
#include "common/civil_date.h"
#include "common/utf8.h"
#include "server/serve_options.h"
#include "service/account_id.h"
#include "service/clock.h"
#include "service/sealed_accounts.h"
#include "service/startup.h"
#include "store/backend/open.h"
#include "store/document_key.h"

namespace kyc::cli {

namespace {

// Every limit of the import has a flag.
struct ImportOptions {
  std::string file;
  std::string data_dir = "var";
  std::string store;           // empty: the data folder's SQLite file
  std::string chain_key_file;  // empty: <data_dir>/chain.key when it exists
  std::string master_key_file;  // empty: <data_dir>/master.key (created when missing)
  // Rows per transaction. One sync per row made a 20,000-row file take 4.4-8 s on the
  // development disk; batches of 1,000 take 0.2 s, each holding the lock a running server
  // also needs for a few milliseconds.
  size_t batch_rows = 1000;
  std::chrono::milliseconds busy_timeout{5000};  // wait for a lock a running server holds
  CsvLimits csv;
  // The service's own limits by default: an account it could never be asked about is a typo,
  // and a field PUT /v1/accounts/{id}/primary refuses is refused here too (a 64 KB name held
  // every decision on its account 0.8 s in name_similarity).
  size_t account_id_bytes = server::Limits{}.account_id_bytes;
  size_t fact_text_bytes = server::Limits{}.fact_text_bytes;
};

const std::vector<std::string> kHeader = {"account_id", "full_name",     "birth_date",
                                          "country",    "document_type", "document_number"};

// Why a row cannot be imported, or "" when it can.
std::string row_problem(const std::vector<std::string>& f, const ImportOptions& options) {
  if (f.size() != kHeader.size())
    return "expected " + std::to_string(kHeader.size()) + " fields, got " +
           std::to_string(f.size());
  if (f[0].empty()) return "empty account_id";
  if (auto fit = service::check_account_id(f[0], options.account_id_bytes); !fit)
    return fit.error().message;
  for (size_t i = 1; i < f.size(); ++i) {
    // Decisions quote these in JSON answers and records, which must be UTF-8.
    if (!common::is_utf8(f[i]))
      return kHeader[i] + " is not UTF-8 text (save the file as CSV UTF-8)";
    if (f[i].size() > options.fact_text_bytes)
      return kHeader[i] + " holds " + std::to_string(f[i].size()) + " bytes; at most " +
             std::to_string(options.fact_text_bytes) + " are accepted";
  }
  if (f[5].empty()) return "empty document_number";
  if (!store::canonical_document_number(f[5]))
    return "document_number holds a character no document number has: letters A-Z, digits and "
           "separators only";
  if (!common::parse_date(f[2])) return "birth_date is not YYYY-MM-DD";
  return "";
}

class AccountImport {
 public:
  AccountImport(const ImportOptions& options, store::AccountStore& store,
                const store::DocumentKey& key)
      : options_(options), store_(store), key_(key) {}

  int run() {
    std::ifstream in(options_.file, std::ios::binary);
    CsvReader reader(in, options_.csv);
    CsvRecord record;
    auto first = reader.next(record);
    if (first != CsvReader::Result::Record || record.fields != kHeader) {
      std::cerr << options_.file << ":1: expected the header "
                << "account_id,full_name,birth_date,country,document_type,document_number\n";
      return 1;
    }
    std::error_code ec;
    uintmax_t file_bytes = std::filesystem::file_size(options_.file, ec);
    bool stopped = false;    // a batch was refused
    size_t unread_from = 0;  // the first line not read after it, if any
    for (auto r = reader.next(record); r != CsvReader::Result::End; r = reader.next(record)) {
      if (r == CsvReader::Result::Malformed) {
        reject(reader.problem().line, reader.problem().message);
      } else if (record.fields.size() == 1 && record.fields[0].empty()) {
        continue;  // a blank line
      } else if (std::string why = row_problem(record.fields, options_); !why.empty()) {
        reject(record.line, why);
      } else {
        add(record);
        if (batch_.size() >= options_.batch_rows && !commit()) {
          stopped = true;
          if (!reader.at_end()) unread_from = reader.line();
          break;
        }
      }
      if (!ec && file_bytes > 0)
        progress_.update(imported_, std::nullopt,
                         static_cast<double>(reader.bytes_read()) / file_bytes);
      else
        progress_.update(imported_);
    }
    if (!stopped) stopped = !commit();
    progress_.erase();
    if (stopped) {
      std::cerr << options_.file << ": stopped";
      if (unread_from) std::cerr << "; rows from line " << unread_from << " on were not read";
      std::cerr << ". Importing the file again is safe: each row replaces the account's data.\n";
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    char timing[96];
    std::snprintf(timing, sizeof timing, "%.2f s, %.0f rows/s", seconds,
                  imported_ / std::max(seconds, 1e-9));
    std::cout << "imported " << imported_ << " accounts, " << rejected_ << " rejected, in "
              << transactions_ << " transactions: " << timing << "\n";
    return rejected_ || stopped ? 1 : 0;
  }

 private:
  void reject(size_t line, const std::string& why) {
    progress_.erase();
    std::cerr << options_.file << ":" << line << ": " << why << "\n";
    ++rejected_;
  }

  void add(CsvRecord& record) {
    auto& f = record.fields;
    if (batch_.empty()) batch_first_line_ = record.line;
    batch_last_line_ = record.line;
    batch_.push_back({std::move(f[0]), std::move(f[1]), std::move(f[2]), std::move(f[3]),
                      std::move(f[4]), *key_.hash(f[5])});  // row_problem() checked it
  }

  // Writes the batch in one transaction; false, with the batch's lines named, when the
  // database refused it (nothing of it was written).
  bool commit() {
    if (batch_.empty()) return true;
    if (auto written = store_.set_primary_batch(batch_, service::now_rfc3339()); !written) {
      progress_.erase();
      std::cerr << options_.file << ":" << batch_first_line_ << "-" << batch_last_line_
                << ": not imported: the batch of " << batch_.size()
                << " rows was rolled back: " << written.error().message << "\n";
      return false;
    }
    imported_ += batch_.size();
    ++transactions_;
    batch_.clear();
    return true;
  }

  const ImportOptions& options_;
  store::AccountStore& store_;
  const store::DocumentKey& key_;
  std::vector<store::PrimaryData> batch_;
  size_t batch_first_line_ = 0, batch_last_line_ = 0;
  size_t imported_ = 0, rejected_ = 0, transactions_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  ProgressLine progress_{"imported", "rows"};
};

int import_accounts(const ImportOptions& options) {
  namespace fs = std::filesystem;
  // The same folder `kyc serve` uses: a new one is made 0700, like the service makes it.
  auto folder = service::prepare_data_dir(options.data_dir, [](const service::StartupEvent& e) {
    if (!e.warning) return;
    std::cerr << "warning: " << e.name;
    for (const auto& [name, value] : e.fields)
      if (auto* text = std::get_if<std::string>(&value)) std::cerr << ": " << *text;
    std::cerr << "\n";
  });
  if (!folder) {
    std::cerr << folder.error().message << "\n";
    return 1;
  }
  auto key =
      store::DocumentKey::load_or_create((fs::path(options.data_dir) / "document.key").string());
  if (!key) {
    std::cerr << key.error().message << "\n";
    return 1;
  }
  // In a keyed log every import batch is a chained record: the import needs the chain key.
  // A folder without one is keyed by the service's first start, which chains every row.
  std::optional<store::ChainKey> chain_key;
  std::string chain_key_file = options.chain_key_file.empty()
                                   ? (fs::path(options.data_dir) / "chain.key").string()
                                   : options.chain_key_file;
  std::error_code ec;
  if (fs::exists(chain_key_file, ec) || !options.chain_key_file.empty()) {
    auto loaded = store::ChainKey::load(chain_key_file);
    if (!loaded) {
      std::cerr << loaded.error().message << "\n";
      return 1;
    }
    chain_key = std::move(*loaded);
  }
  auto where = store_location(options.store, options.data_dir);
  if (!where) return 1;
  auto store = store::open_accounts(*where, options.busy_timeout,
                                    chain_key ? &*chain_key : nullptr);
  if (!store) {
    std::cerr << store.error().message << "\n";
    return 1;
  }
  auto personal = open_personal_data(*where, options.data_dir, options.master_key_file,
                                     options.busy_timeout, MasterKeyMissing::create);
  if (!personal) {
    std::cerr << personal.error().message << "\n";
    return 1;
  }
  service::SealedAccountStore sealed(**store, *(*personal)->seal);
  return AccountImport(options, sealed, *key).run();
}

struct EraseOptions {
  std::string account_id;
  std::string data_dir = "var";
  std::string store;            // empty: the data folder's SQLite file
  std::string master_key_file;  // empty: <data_dir>/master.key
  std::chrono::milliseconds busy_timeout{5000};
};

int erase_account(const EraseOptions& options) {
  auto failed = [](const std::string& why) {
    std::cerr << "kyc accounts erase: " << why << "\n";
    return 1;
  };
  auto where = store_location(options.store, options.data_dir);
  if (!where) return 1;
  auto exists = store::log_exists(*where);
  if (!exists) return failed(exists.error().message);
  if (!*exists) return failed(where->describe() + " holds no audit log, so no account to erase");
  auto personal = open_personal_data(*where, options.data_dir, options.master_key_file,
                                     options.busy_timeout, MasterKeyMissing::fail);
  if (!personal) return failed(personal.error().message);
  auto erased = (*personal)->seal->erase_account(options.account_id, service::now_rfc3339());
  if (!erased) return failed(erased.error().message);
  std::cout << "account " << options.account_id << ": " << store::outcome_name(erased->outcome)
            << " (erased at " << erased->erased_at << ")\n";
  if (!erased->storage_scrubbed)
    std::cerr << (where->kind == store::StoreLocation::Kind::sqlite
                      ? "A reader kept the database's write-ahead log from being cut: the "
                        "destroyed key's old bytes may stay in audit.db-wal until the next "
                        "checkpoint.\n"
                      : "PostgreSQL keeps the destroyed key's old row version until VACUUM, and "
                        "in its write-ahead log and backups until they are recycled.\n");
  std::cerr << "A running service stops using its copy of the key within seconds; its "
               "records stay in the log, their personal facts unreadable.\n";
  return 0;
}

void add_erase(CLI::App* accounts) {
  static EraseOptions options;
  auto* erase = accounts->add_subcommand(
      "erase", "Destroy an account's data key: its personal facts become unreadable everywhere");
  erase->add_option("account_id", options.account_id, "The account to erase")->required();
  erase->add_option("--data-dir", options.data_dir, "The service's data folder")
      ->capture_default_str();
  add_store_option(erase, options.store);
  erase->add_option("--master-key", options.master_key_file,
                    "The master key (default DATA_DIR/master.key)");
  add_busy_timeout(erase, options.busy_timeout);
  erase->callback([] { exit_code = erase_account(options); });
}

}  // namespace

void add_accounts(CLI::App& app) {
  auto* accounts = app.add_subcommand("accounts", "Primary-KYC data of accounts");
  accounts->require_subcommand(1);
  auto* import = accounts->add_subcommand("import", "Load primary-KYC data from a CSV file");
  static ImportOptions options;
  import
      ->add_option("file", options.file,
                   "CSV (RFC 4180, UTF-8): "
                   "account_id,full_name,birth_date,country,document_type,document_number")
      ->required()
      ->check(CLI::ExistingFile);
  import->add_option("--data-dir", options.data_dir, "The service's data folder")
      ->capture_default_str();
  add_store_option(import, options.store);
  import->add_option("--chain-key", options.chain_key_file,
                     "The audit chain's key (default DATA_DIR/chain.key, when it exists)");
  import->add_option("--master-key", options.master_key_file,
                     "The key that wraps the accounts' data keys (default DATA_DIR/master.key, "
                     "created when missing)");
  import->add_option("--batch-size", options.batch_rows, "Rows per transaction (one disk sync)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  add_busy_timeout(import, options.busy_timeout);
  import->add_option("--max-account-id-bytes", options.account_id_bytes, "Longest account id")
      ->capture_default_str();
  import
      ->add_option("--max-fact-text-bytes", options.fact_text_bytes,
                   "Longest name, date, country, type or number (as kyc serve's option)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  import->add_option("--max-field-bytes", options.csv.max_field_bytes, "Longest field accepted")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  import->add_option("--max-record-bytes", options.csv.max_record_bytes, "Longest row accepted")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  import->callback([] { exit_code = import_accounts(options); });
  add_erase(accounts);
}

}  // namespace kyc::cli
