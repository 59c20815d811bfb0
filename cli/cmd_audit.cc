// kyc audit verify|export and kyc replay: the auditor's tools over <data-dir>/audit.db.
#include <boost/json.hpp>
#include <filesystem>
#include <iostream>

#include "adapters/store/audit_log.h"
#include "cli/commands.h"
#include "dsl/policy_loader.h"
#include "server/replay.h"

namespace kyc::cli {

namespace {

std::string audit_path(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "audit.db").string();
}

std::unique_ptr<store::AuditLog> open_log(const std::string& data_dir) {
  std::string path = audit_path(data_dir), error;
  if (!std::filesystem::exists(path)) {
    std::cerr << path << ": no audit log here\n";
    return nullptr;
  }
  auto log = store::AuditLog::open_read_only(path, error);
  if (!log) std::cerr << error << "\n";
  return log;
}

// RFC 4180: quote every field, double the quotes inside.
std::string csv_field(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

void add_audit(CLI::App& app) {
  auto* audit = app.add_subcommand("audit", "Check and export the audit log");
  audit->require_subcommand(1);
  static std::string data_dir = "var", format = "jsonl", from, to;

  auto* verify =
      audit->add_subcommand("verify", "Recompute the hash chain; name the first broken record");
  verify->add_option("--data-dir", data_dir, "The service's data folder")->capture_default_str();
  verify->callback([] {
    auto check = store::verify_chain(audit_path(data_dir));
    if (check.ok) {
      std::cout << "ok: " << check.records << " records, chain intact\n";
      return;
    }
    std::cout << "BROKEN at record " << check.broken_seq
              << (check.broken_decision_id.empty() ? ""
                                                   : " (decision " + check.broken_decision_id + ")")
              << ": " << check.problem << "\n";
    exit_code = 1;
  });

  auto* exporter =
      audit->add_subcommand("export", "Write the records as JSON lines or CSV on stdout");
  exporter->add_option("--data-dir", data_dir, "The service's data folder")->capture_default_str();
  exporter->add_option("--format", format, "jsonl or csv")
      ->check(CLI::IsMember({"jsonl", "csv"}))
      ->capture_default_str();
  exporter->add_option("--from", from, "First decision time (RFC 3339, inclusive)");
  exporter->add_option("--to", to, "Last decision time (RFC 3339, exclusive)");
  exporter->callback([] {
    auto log = open_log(data_dir);
    if (!log) {
      exit_code = 1;
      return;
    }
    if (format == "csv")
      std::cout << "seq,decision_id,time,account_id,stage,today,policy_sha256,facts,decision,prev_"
                   "hash,hash\n";
    log->scan(from, to, [](const store::StoredRecord& s) {
      const auto& r = s.record;
      if (format == "csv") {
        std::cout << s.seq << "," << csv_field(r.decision_id) << "," << csv_field(r.time) << ","
                  << csv_field(r.account_id) << "," << csv_field(r.stage) << ","
                  << csv_field(r.today) << "," << csv_field(r.policy_sha256) << ","
                  << csv_field(r.facts) << "," << csv_field(r.decision) << ","
                  << csv_field(s.prev_hash) << "," << csv_field(s.hash) << "\n";
      } else {
        std::cout << boost::json::serialize(
                         boost::json::object{{"seq", s.seq},
                                             {"decision_id", r.decision_id},
                                             {"time", r.time},
                                             {"account_id", r.account_id},
                                             {"stage", r.stage},
                                             {"today", r.today},
                                             {"policy_sha256", r.policy_sha256},
                                             {"facts", boost::json::parse(r.facts)},
                                             {"decision", boost::json::parse(r.decision)},
                                             {"prev_hash", s.prev_hash},
                                             {"hash", s.hash}})
                  << "\n";
      }
      return true;
    });
  });
}

void add_replay(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "replay", "Re-evaluate recorded decisions; with --policy, the impact of a change");
  static std::string data_dir = "var", from, to, policy_path;
  cmd->add_option("--data-dir", data_dir, "The service's data folder")->capture_default_str();
  cmd->add_option("--from", from, "First decision time (RFC 3339, inclusive)");
  cmd->add_option("--to", to, "Last decision time (RFC 3339, exclusive)");
  cmd->add_option("--policy", policy_path,
                  "A candidate policy to compare with the recorded decisions")
      ->check(CLI::ExistingFile);
  cmd->callback([] {
    auto log = open_log(data_dir);
    if (!log) {
      exit_code = 1;
      return;
    }
    server::ReplayOptions options;
    options.from = from;
    options.to = to;
    if (!policy_path.empty()) {
      auto loaded = dsl::load_policy_file(policy_path);
      std::cerr << loaded.report();
      if (!loaded.ok()) {
        exit_code = 1;
        return;
      }
      options.candidate = loaded.compiled;
    }
    auto start = std::chrono::steady_clock::now();
    int64_t total = log->count();
    options.progress = [&](int64_t done) {
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::cerr << "\rreplayed " << done << "/" << total << " ("
                << static_cast<int64_t>(done / secs) << "/s)" << std::flush;
    };
    auto report = server::replay(*log, options);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (report.records >= 10000) std::cerr << "\n";
    std::cout << "records " << report.records << " in " << secs << " s ("
              << static_cast<int64_t>(report.records / std::max(secs, 1e-9)) << "/s)\n";
    if (!options.candidate) {
      std::cout << (report.mismatch_count == 0 ? "match: " : "MISMATCH: ") << report.matched
                << " of " << report.records << " decisions reproduced exactly\n";
    } else {
      std::cout << "impact of " << policy_path << ": " << report.changed << " of " << report.records
                << " decisions change\n";
      for (const auto& [transition, n] : report.transitions) {
        std::cout << "  " << transition << ": " << n << " (e.g.";
        for (const auto& id : report.transition_examples[transition]) std::cout << " " << id;
        std::cout << ")\n";
      }
      for (const auto& [code, change] : report.reasons)
        std::cout << "  " << code << ": +" << change.first << " fired, -" << change.second
                  << " no longer fired\n";
    }
    for (const auto& m : report.mismatches) std::cout << "  " << m << "\n";
    if (report.mismatch_count) exit_code = 1;
  });
}

}  // namespace kyc::cli
