// Each subcommand of `kyc` registers its flags and its action on the CLI11 app.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

namespace kyc::store {
class DecisionLog;
}

namespace kyc::cli {

// The data folder's decision log, read only; null (the reason on stderr) when there is none.
// Shared by the auditor's commands (audit, replay, policy).
std::unique_ptr<store::DecisionLog> open_log(const std::string& data_dir);

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
