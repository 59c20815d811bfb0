// kyc store migrate: applies the PostgreSQL store's schema migrations by hand, for operators
// who run schema changes themselves before starting (or upgrading) the replicas. `kyc serve`
// applies the same ones at start.
#include <iostream>

#include "cli/commands.h"
#include "store/location.h"
#include "store/postgres/open.h"

namespace kyc::cli {

void add_store(CLI::App& app) {
  auto* cmd = app.add_subcommand("store", "The store's schema");
  cmd->require_subcommand(1);
  static std::string data_dir = "var", store;
  auto* migrate = cmd->add_subcommand(
      "migrate", "Apply the schema migrations a PostgreSQL store has not had yet");
  add_store_option(migrate, store);
  migrate->callback([] {
    auto where = store_location(store, data_dir);
    if (!where) {
      exit_code = 1;
      return;
    }
    if (where->kind == store::StoreLocation::Kind::sqlite) {
      std::cout << "the SQLite store (" << where->describe()
                << ") makes and upgrades its tables when it is opened: nothing to apply\n";
      return;
    }
    auto migrated = store::postgres::migrate(where->url);
    if (!migrated) {
      std::cerr << "kyc store migrate: " << migrated.error().message << "\n";
      exit_code = 1;
      return;
    }
    for (const auto& name : migrated->applied) std::cout << "applied " << name << "\n";
    std::cout << where->describe() << ": schema version " << migrated->version
              << (migrated->applied.empty() ? " (already up to date)" : "") << "\n";
  });
}

}  // namespace kyc::cli
