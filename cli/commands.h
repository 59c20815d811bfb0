// Each subcommand of `kyc` registers its flags and its action on the CLI11 app.
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace kyc::store {
class DecisionLog;
struct StoreLocation;
}

namespace kyc::cli {

// --store URL beside --data-dir: where the store lives (store/location.h). "" is the data
// folder's SQLite file; keys stay files in the data folder either way.
inline void add_store_option(CLI::App* cmd, std::string& store) {
  cmd->add_option("--store", store,
                  "The store: sqlite:DIR, or postgresql://USER@HOST:PORT/DB (default: the data "
                  "folder's SQLite file)");
}
// The location --store and --data-dir name; nullopt (the reason on stderr) when --store is not
// one.
std::optional<store::StoreLocation> store_location(const std::string& store,
                                                   const std::string& data_dir);

// The store's decision log, read only; null (the reason on stderr) when there is none.
// Shared by the auditor's commands (audit, replay, policy).
std::unique_ptr<store::DecisionLog> open_log(const std::string& store, const std::string& data_dir);

// --busy-timeout MS: how long a command waits for a lock that a running server holds.
inline void add_busy_timeout(CLI::App* cmd, std::chrono::milliseconds& timeout) {
  cmd->add_option_function<int64_t>(
         "--busy-timeout",
         [&timeout](const int64_t& ms) { timeout = std::chrono::milliseconds(ms); },
         "Wait this long for a lock a running server holds (milliseconds)")
      ->default_str(std::to_string(timeout.count()))
      ->check(CLI::NonNegativeNumber);
}

// Exit status set by the command that ran (CLI11 callbacks cannot return one).
inline int exit_code = 0;

void add_check(CLI::App& app);
void add_fmt(CLI::App& app);
void add_test(CLI::App& app);
void add_eval(CLI::App& app);
void add_bench(CLI::App& app);
void add_serve(CLI::App& app);
void add_audit(CLI::App& app);
void add_replay(CLI::App& app);
void add_policy(CLI::App& app);
void add_accounts(CLI::App& app);
void add_analyze(CLI::App& app);
void add_tokens(CLI::App& app);
void add_facts(CLI::App& app);
void add_keys(CLI::App& app);
void add_store(CLI::App& app);

}  // namespace kyc::cli
