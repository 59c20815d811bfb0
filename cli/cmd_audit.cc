// kyc audit verify|export and kyc replay: the auditor's tools over <data-dir>/audit.db.
// verify and replay draw a progress line on a terminal only (cli/progress.h).
#include <boost/json.hpp>
#include <filesystem>
#include <iostream>

#include "cli/bulk/progress.h"
#include "cli/commands.h"
#include "cli/personal_data.h"
#include "dsl/policy_loader.h"
#include "service/audit_csv.h"
#include "service/checkpoints.h"
#include "service/impact_report.h"
#include "service/policy_history.h"
#include "service/replay.h"
#include "store/backend/open.h"
#include "store/chain.h"

namespace kyc::cli {

std::optional<store::StoreLocation> store_location(const std::string& store,
                                                   const std::string& data_dir) {
  auto where = store::parse_store_location(store, data_dir);
  if (!where) {
    std::cerr << where.error().message << "\n";
    return std::nullopt;
  }
  return *where;
}

std::unique_ptr<store::DecisionLog> open_log(const std::string& store, const std::string& data_dir) {
  auto where = store_location(store, data_dir);
  if (!where) return nullptr;
  auto log = store::open_log_read_only(*where);
  if (!log) {
    std::cerr << log.error().message << "\n";
    return nullptr;
  }
  return std::move(*log);
}

void add_audit(CLI::App& app) {
  auto* audit = app.add_subcommand("audit", "Check and export the audit log");
  audit->require_subcommand(1);
  static std::string data_dir = "var", store, format = "jsonl", from, to, chain_key_file,
                     checkpoints_file, public_key_file;

  auto* verify = audit->add_subcommand(
      "verify",
      "Recompute the chain and compare the account tables and checkpoints with it; name the "
      "first broken record");
  verify->add_option("--data-dir", data_dir, "The service's data folder")->capture_default_str();
  add_store_option(verify, store);
  verify->add_option("--chain-key", chain_key_file,
                     "The chain key (default DATA_DIR/chain.key when it exists)");
  verify->add_option("--checkpoints", checkpoints_file,
                     "Signed checkpoints (kyc serve --checkpoints) the log must still match");
  verify->add_option("--public-key", public_key_file,
                     "The checkpoint key's public half (default DATA_DIR/checkpoint.pub; better "
                     "a copy kept apart)");
  verify->callback([] {
    namespace fs = std::filesystem;
    auto log = open_log(store, data_dir);
    if (!log) {
      exit_code = 1;
      return;
    }
    auto refuse = [](const std::string& why) {
      std::cout << "FAILED: " << why << "\n";
      exit_code = 1;
    };
    store::VerifyOptions options;
    std::optional<store::ChainKey> key;
    std::error_code ec;
    std::string key_file =
        chain_key_file.empty() ? (fs::path(data_dir) / "chain.key").string() : chain_key_file;
    if (!chain_key_file.empty() || fs::exists(key_file, ec)) {
      auto loaded = store::ChainKey::load(key_file);
      if (!loaded) return refuse(loaded.error().message);
      key = std::move(*loaded);
      options.key = &*key;
    }
    if (!checkpoints_file.empty()) {
      if (!key) return refuse("--checkpoints needs the chain key (--chain-key FILE)");
      std::string pub = public_key_file.empty() ? (fs::path(data_dir) / "checkpoint.pub").string()
                                                : public_key_file;
      auto public_key = service::CheckpointKey::load_public(pub);
      if (!public_key) return refuse(public_key.error().message);
      auto anchors = service::read_checkpoints(checkpoints_file, *public_key, key->id());
      if (!anchors) return refuse(anchors.error().message);
      if (anchors->empty()) return refuse(checkpoints_file + ": no checkpoint in it");
      options.anchors = std::move(*anchors);
    }
    options.check_policy = service::recorded_policy_check(*log);
    ProgressLine progress("checked", "records");
    if (progress.drawing())
      options.progress = [&progress](int64_t checked, int64_t total) {
        progress.update(checked, total);
        return true;
      };
    auto check = store::verify_chain(*log, options);
    progress.erase();
    if (check.ok) {
      std::cout << "ok: " << check.summary() << "\n";
      return;
    }
    if (check.broken_seq == 0) return refuse(check.problem);
    std::cout << "BROKEN at record " << check.broken_seq
              << (check.broken_decision_id.empty() ? ""
                                                   : " (decision " + check.broken_decision_id + ")")
              << ": " << check.problem << "\n";
    exit_code = 1;
  });

  auto* exporter =
      audit->add_subcommand("export", "Write the records as JSON lines or CSV on stdout");
  exporter->add_option("--data-dir", data_dir, "The service's data folder")->capture_default_str();
  add_store_option(exporter, store);
  exporter->add_option("--format", format, "jsonl or csv")
      ->check(CLI::IsMember({"jsonl", "csv"}))
      ->capture_default_str();
  exporter->add_option("--from", from, "First decision time (RFC 3339, inclusive)");
  exporter->add_option("--to", to, "Last decision time (RFC 3339, exclusive)");
  exporter->callback([] {
    auto log = open_log(store, data_dir);
    if (!log) {
      exit_code = 1;
      return;
    }
    if (format == "csv") std::cout << service::kAuditCsvHeader;
    auto read = log->range(from, to, [](const store::StoredRecord& s) {
      // Policy activations are listed by `kyc policy history`, the chain's own records by
      // `kyc audit verify`; the export holds decisions.
      if (s.record.stage == store::kActivationStage || store::is_chain_stage(s.record.stage))
        return true;
      const auto& r = s.record;
      if (format == "csv") {
        std::cout << service::audit_csv_row(r);
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
    if (!read) {
      std::cerr << read.error().message << "\n";
      exit_code = 1;
    }
  });
}

void add_replay(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "replay", "Re-evaluate recorded decisions; with --policy, the impact of a change");
  static std::string data_dir = "var", store, from, to, policy_path, format = "text", master_key;
  cmd->add_option("--data-dir", data_dir, "The service's data folder")->capture_default_str();
  add_store_option(cmd, store);
  cmd->add_option("--master-key", master_key,
                  "Opens the sealed personal facts (default DATA_DIR/master.key, when it exists)");
  cmd->add_option("--format", format,
                  "text; json for editors and CI; html: one self-contained page of the impact")
      ->check(CLI::IsMember({"text", "json", "html"}));
  cmd->add_option("--from", from, "First decision time (RFC 3339, inclusive)");
  cmd->add_option("--to", to, "Last decision time (RFC 3339, exclusive)");
  cmd->add_option("--policy", policy_path,
                  "A candidate policy to compare with the recorded decisions")
      ->check(CLI::ExistingFile);
  cmd->callback([] {
    auto log = open_log(store, data_dir);
    if (!log) {
      exit_code = 1;
      return;
    }
    // Without the master key, records with sealed personal facts cannot be replayed.
    auto personal = open_personal_data(*store_location(store, data_dir), data_dir, master_key,
                                       std::chrono::milliseconds(5000),
                                       master_key.empty() ? MasterKeyMissing::absent
                                                          : MasterKeyMissing::fail);
    if (!personal) {
      std::cerr << personal.error().message << "\n";
      exit_code = 1;
      return;
    }
    service::ReplayOptions options;
    options.seal = *personal ? (*personal)->seal.get() : nullptr;
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
    ProgressLine progress("replayed", "records");
    if (progress.drawing()) {
      // The log's size is the total only without a time range: counting the records in a
      // range would read the whole table (time has no index) before the replay starts.
      std::optional<int64_t> total;
      if (from.empty() && to.empty())
        if (auto counted = log->count()) total = *counted;
      options.progress = [&progress, total](int64_t done) { progress.update(done, total); };
    }
    auto replayed = service::replay(*log, options);
    progress.erase();
    if (!replayed) {
      std::cerr << replayed.error().message << "\n";
      exit_code = 1;
      return;
    }
    auto& report = *replayed;
    if (report.mismatch_count) exit_code = 1;
    if (format != "text") {
      auto out = service::report_json(report, options);
      if (format == "json")
        std::cout << boost::json::serialize(out) << "\n";
      else if (out.contains("impact"))
        std::cout << service::impact_html(out.at("impact").as_object());
      else {
        std::cerr << "--format html needs a candidate --policy: the page shows its impact\n";
        exit_code = 1;
      }
      return;
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << "records " << report.records << " in " << secs << " s ("
              << static_cast<int64_t>(report.records / std::max(secs, 1e-9)) << "/s)\n";
    if (!options.candidate) {
      std::cout << (report.mismatch_count == 0 ? "match: " : "MISMATCH: ") << report.matched
                << " of " << report.records << " decisions reproduced exactly\n";
      if (report.erased)
        std::cout << "erased: " << report.erased
                  << " decisions of erased accounts replayed without their personal facts "
                     "(all else checked)\n";
    } else {
      std::cout << service::impact_text(report.impact->json(from, to));
    }
    for (const auto& m : report.mismatches) std::cout << "  " << m << "\n";
  });
}

}  // namespace kyc::cli
