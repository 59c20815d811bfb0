// kyc serve: the HTTP service. Every limit of server::ServeOptions is a flag, and every flag
// can come from a config file (--config FILE, TOML or INI, same names in a [serve] section).
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string_view>
#include <variant>
#include <vector>

#include "cli/commands.h"
#include "cli/personal_data.h"
#include "server/api.h"
#include "server/http/buffered_sink.h"
#include "server/http/http_server.h"
#include "server/http/log_line.h"
#include "server/service_manager.h"
#include "service/activations.h"
#include "service/checkpoints.h"
#include "service/retention.h"
#include "service/sealed_accounts.h"
#include "service/startup.h"
#include "store/backend/open.h"

namespace kyc::cli {

namespace {

// Durations are given in milliseconds on the command line and in config files.
// `min_ms`: the shortest that works (a deadline of 0 ends every request at once; a poll of 0
// spins a core).
void add_duration(CLI::App* cmd, const std::string& flag, std::chrono::milliseconds& field,
                  const std::string& help, int64_t min_ms = 0) {
  cmd->add_option_function<int64_t>(
         flag, [&field](const int64_t& ms) { field = std::chrono::milliseconds(ms); },
         help + " (milliseconds)")
      ->default_str(std::to_string(field.count()))
      ->check(CLI::Range(min_ms, INT64_MAX / 1000));
}

// Sizes and counts a value of 0 breaks (nothing fits, nothing is taken), and sizes past what
// the HTTP parser and a machine's memory can hold (a header limit of 2^32 wrapped to a few
// bytes, and every request got 431).
const auto kAtLeastOne = CLI::Range(size_t{1}, size_t{1} << 40);
const auto kHeaderBytes = CLI::Range(size_t{1024}, size_t{64} << 20);
const auto kBodyBytes = CLI::Range(size_t{1}, size_t{4} << 30);

// Startup problems go to the same JSON log as everything else, then the command fails.
int fail(spdlog::logger& log, std::string_view what, std::string_view detail) {
  log.error(server::LogLine::event("startup_failed").add("what", what).add("detail", detail).str());
  log.flush();
  return 1;
}

// A start's events go to the same JSON log as everything else.
void log_event(spdlog::logger& log, const service::StartupEvent& e) {
  server::LogLine line = server::LogLine::event(e.name);
  for (const auto& field : e.fields)  // (clang 14 cannot capture a structured binding)
    std::visit([&line, &key = field.first](const auto& v) { line.add(key, v); }, field.second);
  if (e.warning)
    log.warn(line.str());
  else
    log.info(line.str());
}

// Every connection is a file descriptor: the soft limit (often 1024) would refuse the 1025th
// client before --max-connections does. The hard limit is ours to take. The limit in force.
rlim_t raise_open_files_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) return raised.rlim_cur;
  }
  return limit.rlim_cur;
}

int serve(const server::ServeOptions& options) {
  using server::LogLine;
  umask(077);  // every file this process creates is its user's only
  // Every line is a JSON object, buffered per thread and written at least every flush interval.
  auto log = std::make_shared<spdlog::logger>(
      "kycd", std::make_shared<server::ThreadBufferedSink>(STDOUT_FILENO));
  log->set_pattern("%v");
  log->flush_on(spdlog::level::warn);
  spdlog::register_logger(log);
  spdlog::flush_every(options.log_flush);
  auto report = [&log](const service::StartupEvent& e) { log_event(*log, e); };
  rlim_t open_files = raise_open_files_limit();
  if (open_files != RLIM_INFINITY && open_files < options.limits.max_connections + 64)
    log->warn(LogLine::event("open_files_limit")
                  .add("limit", static_cast<uint64_t>(open_files))
                  .add("detail", "below --max-connections: connections beyond it wait unaccepted")
                  .str());
  if (auto prepared = service::prepare_data_dir(options.data_dir, report); !prepared)
    return fail(*log, "data_dir", prepared.error().message);
  namespace fs = std::filesystem;
  std::string chain_key_file = options.chain_key_file.empty()
                                   ? (fs::path(options.data_dir) / "chain.key").string()
                                   : options.chain_key_file;
  auto first_start = service::first_start(
      {chain_key_file, (fs::path(options.data_dir) / "document.key").string()});
  if (!first_start) return fail(*log, "keys", first_start.error().message);
  std::unique_ptr<service::TokenFile> tokens;
  if (options.no_auth) {
    log->warn(LogLine::event("auth_disabled")
                  .add("detail", "--no-auth: every caller has every role")
                  .str());
  } else {
    auto opened = service::open_tokens(
        {options.data_dir, options.tokens_file, !*first_start}, report,
        [](const std::string& token) {
          // The token is a secret: shown to the person at the terminal, never logged.
          std::cerr << "development token with every role (shown once): " << token << "\n";
        });
    if (!opened) return fail(*log, "tokens", opened.error().message);
    tokens = std::move(*opened);
  }
  auto chain_key = store::ChainKey::load_or_create(chain_key_file);
  if (!chain_key) return fail(*log, "chain_key", chain_key.error().message);
  auto where = store::parse_store_location(options.store, options.data_dir);
  if (!where) return fail(*log, "store", where.error().message);
  auto stores = store::open_stores(*where, options.audit, &*chain_key);
  if (!stores) return fail(*log, "audit_log", stores.error().message);
  std::string checkpoint_key_file = options.checkpoint_key_file.empty()
                                        ? (fs::path(options.data_dir) / "checkpoint.key").string()
                                        : options.checkpoint_key_file;
  auto checkpoint_key = service::CheckpointKey::load_or_create(checkpoint_key_file);
  if (!checkpoint_key) return fail(*log, "checkpoint_key", checkpoint_key.error().message);
  if (!options.checkpoints_file.empty()) {
    // A checkpoint kept beside the log proves nothing against whoever can rewrite the log.
    std::error_code ec;
    auto data = fs::weakly_canonical(options.data_dir, ec).string() + "/";
    auto file = fs::weakly_canonical(options.checkpoints_file, ec).string();
    if (file.starts_with(data))
      return fail(*log, "checkpoints",
                  options.checkpoints_file +
                      " is inside the data folder: keep checkpoints "
                      "where whoever can rewrite the log cannot");
  }
  service::Checkpoints checkpoints(
      *stores->decisions, std::move(*checkpoint_key), chain_key->id(),
      {options.checkpoints_file, options.checkpoint_records, options.checkpoint_interval},
      [&log](const std::string& e) {
        log->error(LogLine::event("checkpoint_not_written").add("error", e).str());
      });
  if (auto started = checkpoints.start(); !started)
    return fail(*log, "checkpoints", started.error().message);
  log->info(LogLine::event("audit_chain")
                .add("chain_key_id", chain_key->id())
                .add("checkpoint_key_id", checkpoints.key().id())
                .add("checkpoints", options.checkpoints_file)
                .str());
  auto decisions = stores->decisions->count();
  if (!decisions) return fail(*log, "audit_log", decisions.error().message);
  log->info(LogLine::event("audit_log")
                .add("store", where->describe())
                .add("decisions", *decisions)
                .str());
  server::Metrics metrics;
  const service::PolicyStore* running = nullptr;  // the store below, for the policy a reload left
  service::PolicyStore policies(
      options.policy_dir, options.policy_file,
      [&metrics, &log, &running](const std::string& trigger, const std::string& error) {
        metrics.reload(error.empty());
        LogLine line = LogLine::event("reload").add("trigger", trigger).add("ok", error.empty());
        if (!error.empty()) line.add("error", error);
        if (error.empty() && running)
          if (auto active = running->current())
            line.add("version", active->compiled->version).add("sha256", active->compiled->sha256);
        (error.empty() ? log->info(line.str()) : log->warn(line.str()));
      });
  running = &policies;
  policies.require_tests(options.require_tests);
  auto recorded =
      service::record_activations(policies, *stores->decisions, [&log](const std::string& e) {
        log->error(LogLine::event("activation_not_recorded").add("error", e).str());
      });
  if (!recorded) return fail(*log, "audit_log", recorded.error().message);
  if (!policies.reload("start")) return fail(*log, "policy", policies.last_error());
  policies.watch(options.reload_poll);
  // Replicas on one PostgreSQL store run the policy any of them activated last.
  service::ActivationFollower follower(
      policies, *stores->decisions,
      [&log](const service::Activation& a) {
        log->info(LogLine::event("policy_followed")
                      .add("version", a.version)
                      .add("sha256", a.sha256)
                      .add("trigger", a.trigger)
                      .str());
      },
      [&log](const std::string& e) {
        log->error(LogLine::event("policy_not_followed").add("error", e).str());
      });
  auto document_key = service::open_document_key(options.data_dir);
  if (!document_key) return fail(*log, "document_key", document_key.error().message);
  auto personal = open_personal_data(*where, options.data_dir, options.master_key_file,
                                     options.audit.busy_timeout, MasterKeyMissing::create);
  if (!personal) return fail(*log, "master_key", personal.error().message);
  log->info(LogLine::event("personal_data").add("master_key_id", (*personal)->master_key_id).str());
  service::SealedAccountStore accounts(*stores->accounts, *(*personal)->seal);
  auto retention = service::parse_retention(options.retention);
  if (!retention) return fail(*log, "retention", retention.error().message);
  // The sweep reads the log's whole account index (1.0 s on 200,000 decisions of one account):
  // through a read handle of its own, so that the service's own reads do not wait behind it.
  std::unique_ptr<store::DecisionLog> sweep_reader;
  std::optional<service::RetentionSweeper> retention_sweeper;
  if (!retention->forever()) {
    auto opened = store::open_log_read_only(*where);
    if (!opened) return fail(*log, "retention", opened.error().message);
    sweep_reader = std::move(*opened);
    retention_sweeper.emplace(
        *sweep_reader, *(*personal)->seal, *retention, options.retention_sweep_interval,
        [&log](const common::Result<service::RetentionSweep>& swept, const std::string& cutoff) {
          if (!swept)
            return log->error(LogLine::event("retention_sweep_failed")
                                  .add("cutoff", cutoff)
                                  .add("error", swept.error().message)
                                  .str());
          log->info(LogLine::event("retention_sweep")
                        .add("cutoff", cutoff)
                        .add("accounts_erased", swept->accounts_erased)
                        .add("days_erased", swept->days_erased)
                        .str());
        });
  }
  auto open_reader = [where = *where] { return store::open_log_read_only(where); };
  server::Api api(options, policies, metrics, tokens.get(),
                  service::Stores{stores->decisions.get(), &accounts, &*document_key, open_reader,
                                  &*chain_key, &checkpoints, (*personal)->seal.get()});
  server::HttpServer http(options, api, metrics, policies, log);
  if (auto listening = http.listen(); !listening)
    return fail(*log, "listen", listening.error().message);
  if (!options.port_file.empty()) std::ofstream(options.port_file) << http.port() << "\n";
  auto active = policies.current();
  server::service_manager::ready("listening on port " + std::to_string(http.port()) +
                                 ", policy " + active->compiled->version);
  LogLine listening_line = LogLine::event("listening");
  listening_line.add("port", http.port());
  if (http.ops_port()) listening_line.add("ops_port", http.ops_port());
  log->info(listening_line.add("policy", active->compiled->name)
                .add("version", active->compiled->version)
                .add("sha256", active->compiled->sha256)
                .str());
  int code = http.run();
  api.end_bulk_reads();  // before the connections' threads, which their answers go to, are gone
  checkpoints.stop();  // the last checkpoint: every answered decision is in the log by now
  log->info(LogLine::event("stopped").str());
  log->flush();
  spdlog::shutdown();
  return code;
}

// Every option of `kyc serve` may come from the environment too (a systemd unit's
// Environment=, a container's env): --max-connections from KYCD_MAX_CONNECTIONS. A flag on the
// command line wins, then the config file, then the environment (CLI11's order).
std::vector<std::string> read_from_environment(CLI::App* cmd) {
  std::vector<std::string> variables;
  for (CLI::Option* option : cmd->get_options()) {
    const auto& names = option->get_lnames();
    if (names.empty() || names.front() == "help") continue;
    std::string variable = "KYCD_";
    for (char c : names.front())
      variable += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    option->envname(variable);
    variables.push_back(std::move(variable));
  }
  return variables;
}

// A KYCD_ variable that names no option: `KYCD_MAX_CONECTIONS=5` was ignored without a word,
// and the service ran on the default (operator probe, stop 48). "" when there is none.
std::string unknown_environment(const std::vector<std::string>& known) {
  for (char** e = environ; *e; ++e) {
    std::string_view entry(*e);
    std::string_view name = entry.substr(0, entry.find('='));
    if (name.starts_with("KYCD_") && std::find(known.begin(), known.end(), name) == known.end())
      return std::string(name);
  }
  return "";
}

}  // namespace

void add_serve(CLI::App& app) {
  auto* cmd = app.add_subcommand("serve", "Run the HTTP service");
  static server::ServeOptions o;
  cmd->add_option("--listen", o.listen, "HOST:PORT to listen on")->capture_default_str();
  cmd->add_option("--ops-listen", o.ops_listen,
                  "HOST:PORT of a second listener for /healthz, /readyz and /metrics only, with "
                  "its own thread and connection budget (default: off)");
  cmd->add_option("--policy-dir", o.policy_dir, "Folder of the policy")->capture_default_str();
  cmd->add_option("--policy-file", o.policy_file, "The active policy's file name in --policy-dir")
      ->capture_default_str();
  cmd->add_option("--data-dir", o.data_dir,
                  "Folder for tokens, keys and (without --store) the SQLite store; created if "
                  "absent")
      ->capture_default_str();
  add_store_option(cmd, o.store);
  cmd->add_option(
      "--tokens", o.tokens_file,
      "Tokens file: sha256:HASH ROLE[,ROLE...] [NAME] per line (default DATA_DIR/tokens); "
      "read again on SIGHUP");
  cmd->add_flag("--require-tests", o.require_tests,
                "Run the policy's X.test beside it before every activation; keep the running "
                "policy if a case fails");
  cmd->add_flag("--no-auth", o.no_auth,
                "Serve without authentication (development only; warns at start)");
  cmd->add_option("--threads", o.threads,
                  "IO threads (0: one per core but one, which the audit writer uses)")
      ->capture_default_str();
  cmd->add_option("--port-file", o.port_file, "Write the bound port here (useful with port 0)");
  cmd->add_option("--tls-cert", o.tls.cert_file,
                  "Serve HTTPS with this PEM certificate (then its intermediates); read again "
                  "on SIGHUP");
  cmd->add_option("--tls-key", o.tls.key_file,
                  "The certificate's private key (PEM, unencrypted); read again on SIGHUP");
  cmd->add_option("--tls-client-ca", o.tls.client_ca_file,
                  "Require a client certificate signed by a CA of this PEM file (mTLS)");
  add_duration(cmd, "--reload-poll", o.reload_poll,
               "How often the policy file is checked for changes", 10);
  auto& l = o.limits;
  cmd->add_option("--max-header-bytes", l.header_bytes, "Request line and headers")
      ->capture_default_str()
      ->check(kHeaderBytes);
  cmd->add_option("--max-body-bytes", l.body_bytes, "Request body (413 before reading it)")
      ->capture_default_str()
      ->check(kBodyBytes);
  cmd->add_option("--max-upload-bytes", l.upload_bytes, "Body of a photo upload")
      ->capture_default_str()
      ->check(kBodyBytes);
  cmd->add_option("--max-upload-parts", l.upload_parts, "Parts of one multipart upload")
      ->capture_default_str()
      ->check(kAtLeastOne);
  cmd->add_option("--image-threads", l.image_threads, "Image analysis threads (0: one per core)")
      ->capture_default_str();
  cmd->add_option("--image-queue", l.image_queue, "Uploads waiting for analysis; more get 503")
      ->capture_default_str();
  cmd->add_option("--bulk-read-queue", l.bulk_read_queue,
                  "Range replays and CSV exports waiting behind the running one; more get 503")
      ->capture_default_str();
  cmd->add_option("--max-json-depth", l.json_depth, "Nesting of request JSON")
      ->capture_default_str()
      ->check(kAtLeastOne);
  cmd->add_option("--max-json-elements", l.json_elements, "Values in request JSON")
      ->capture_default_str()
      ->check(kAtLeastOne);
  cmd->add_option("--max-account-id-bytes", l.account_id_bytes,
                  "An account id (evaluate, upload, primary data); longer ones get 422")
      ->capture_default_str()
      ->check(kAtLeastOne);
  cmd->add_option("--max-fact-text-bytes", l.fact_text_bytes,
                  "One fact's text (evaluate's facts, primary data); longer ones get 422")
      ->capture_default_str()
      ->check(kAtLeastOne);
  cmd->add_option("--max-deploy-note-bytes", l.deploy_note_bytes,
                  "The note of a policy deployed from the console (bytes)")
      ->capture_default_str()
      ->check(kAtLeastOne);
  cmd->add_option("--max-connections", l.max_connections, "Open connections; more get 503")
      ->capture_default_str()
      ->check(kAtLeastOne);
  cmd->add_option("--max-connections-per-address", l.max_connections_per_address,
                  "Open connections from one client address (IPv6: one /64); more get 503 (0: no "
                  "cap)")
      ->capture_default_str();
  cmd->add_option("--ops-connections", l.ops_connections,
                  "Open connections to the --ops-listen listener; more are closed")
      ->capture_default_str()
      ->check(kAtLeastOne);
  cmd->add_option("--token-rate", l.token_rate,
                  "Requests/s per bearer token; more get 429 with Retry-After (0: unlimited)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--token-burst", l.token_burst, "Requests one token may send at once")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--address-rate", l.address_rate,
                  "Requests/s per client address (IPv6: one /64), probes excepted; more get 429 "
                  "(0: unlimited)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--address-burst", l.address_burst, "Requests one address may send at once")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--bad-token-limit", l.bad_token_limit,
                  "Unknown tokens from one address within --bad-token-window that pause it (429) "
                  "for 1 s, doubling with each pause (0: off)")
      ->capture_default_str();
  add_duration(cmd, "--bad-token-window", l.bad_token_window,
               "The window of --bad-token-limit; as long without one forgives the doublings", 1);
  add_duration(cmd, "--bad-token-max-pause", l.bad_token_max_pause,
               "The longest pause for unknown tokens");
  cmd->add_option("--rate-limit-entries", l.rate_limit_entries,
                  "Tokens, addresses and bad-token records each rate-limit table keeps; the least "
                  "recently seen is dropped beyond it")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--export-rows", l.export_rows,
                  "Decisions in one CSV export over HTTP; a larger search is refused")
      ->capture_default_str()
      ->check(kAtLeastOne);
  add_duration(cmd, "--read-timeout", l.read_timeout, "Deadline to receive a request", 1);
  add_duration(cmd, "--write-timeout", l.write_timeout,
               "Deadline to send a response, or each MiB of a larger one", 1);
  add_duration(cmd, "--idle-timeout", l.idle_timeout, "Keep-alive wait for the next request", 1);
  add_duration(cmd, "--linger-timeout", l.linger_timeout,
               "After a last answer, unread input is dropped until it pauses this long");
  cmd->add_option("--linger-bytes", l.linger_bytes,
                  "After a last answer, at most this much unread input is dropped")
      ->capture_default_str();
  add_duration(cmd, "--linger-max", l.linger_max,
               "After a last answer, unread input is dropped this long at most");
  add_duration(cmd, "--shutdown-deadline", l.shutdown_deadline, "Drain time on SIGTERM/SIGINT");
  cmd->add_option("--audit-batch-max", o.audit.batch_max,
                  "Decisions in one audit transaction at most")
      ->capture_default_str()
      ->check(kAtLeastOne);
  cmd->add_option_function<int64_t>(
         "--audit-max-wait",
         [](const int64_t& us) { o.audit.max_wait = std::chrono::microseconds(us); },
         "Wait for more decisions before committing a batch (microseconds)")
      ->default_str(std::to_string(o.audit.max_wait.count()));
  cmd->add_option_function<int64_t>(
         "--audit-busy-timeout",
         [](const int64_t& ms) { o.audit.busy_timeout = std::chrono::milliseconds(ms); },
         "Wait for a lock on the audit log before answering 503 (milliseconds)")
      ->default_str(std::to_string(o.audit.busy_timeout.count()));
  cmd->add_option("--audit-checkpoint-pages", o.audit.checkpoint_pages,
                  "WAL pages after which a commit copies them into the audit database")
      ->capture_default_str();
  cmd->add_option("--chain-key", o.chain_key_file,
                  "The key the audit chain's links are HMACs under (default DATA_DIR/chain.key, "
                  "created on first start); keep a copy outside the data folder");
  cmd->add_option("--master-key", o.master_key_file,
                  "The key that wraps each account's data key, under which personal facts are "
                  "sealed (default DATA_DIR/master.key, created on first start); keep it "
                  "outside the data folder, so that a copy of the folder reads no personal data");
  cmd->add_option("--retention", o.retention,
                  "Erase the personal data of accounts whose last record is older than this "
                  "(5y, 18m, 400d), and of decisions without an account made before it; swept at "
                  "start and every --retention-sweep-interval (default: kept forever)");
  cmd->add_option_function<int64_t>(
         "--retention-sweep-interval",
         [](const int64_t& ms) { o.retention_sweep_interval = std::chrono::milliseconds(ms); },
         "How often the retention sweep runs (milliseconds)")
      ->default_str(std::to_string(o.retention_sweep_interval.count()))
      ->check(CLI::PositiveNumber);
  cmd->add_option("--checkpoints", o.checkpoints_file,
                  "Append a signed checkpoint of the audit chain's head to this file (outside "
                  "the data folder) every --checkpoint-records records or --checkpoint-interval, "
                  "and on shutdown");
  cmd->add_option("--checkpoint-key", o.checkpoint_key_file,
                  "Ed25519 key (PEM) that signs checkpoints (default DATA_DIR/checkpoint.key, "
                  "created on first start with checkpoint.pub beside it)");
  cmd->add_option("--checkpoint-records", o.checkpoint_records,
                  "A checkpoint after this many new records")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  add_duration(cmd, "--checkpoint-interval", o.checkpoint_interval,
               "A checkpoint after this long when there were new records", 1);
  static std::vector<std::string> variables = read_from_environment(cmd);
  cmd->callback([] {
    if (std::string unknown = unknown_environment(variables); !unknown.empty()) {
      std::cerr << "kyc serve: " << unknown
                << " names no option of kyc serve (each option --NAME is KYCD_NAME, in upper "
                   "case with _ for -)\n";
      exit_code = 1;
      return;
    }
    exit_code = serve(o);
  });
}

}  // namespace kyc::cli
