// Each subcommand of `kyc` registers its flags and its action on the CLI11 app.
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <memory>
#include <string>

namespace kyc::store {
class DecisionLog;
}

namespace kyc::cli {

// The data folder's decision log, read only; null (the reason on stderr) when there is none.
// Shared by the auditor's commands (audit, replay, policy).
std::unique_ptr<store::DecisionLog> open_log(const std::string& data_dir);

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

}  // namespace kyc::cli
