// kyc serve: the HTTP service. Every limit of server::ServeOptions is a flag, and every flag
// can come from a config file (--config FILE, TOML or INI, same names in a [serve] section).
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "adapters/store/account_store.h"
#include "adapters/store/audit_log.h"
#include "adapters/store/document_key.h"
#include "cli/commands.h"
#include "server/api.h"
#include "server/buffered_sink.h"
#include "server/http_server.h"

namespace kyc::cli {

namespace {

// Durations are given in milliseconds on the command line and in config files.
void add_duration(CLI::App* cmd, const std::string& flag, std::chrono::milliseconds& field,
                  const std::string& help) {
  cmd->add_option_function<int64_t>(
         flag, [&field](const int64_t& ms) { field = std::chrono::milliseconds(ms); },
         help + " (milliseconds)")
      ->default_str(std::to_string(field.count()))
      ->check(CLI::NonNegativeNumber);
}

int serve(const server::ServeOptions& options) {
  namespace fs = std::filesystem;
  // Every line is a JSON object, buffered per thread and written at least every flush interval.
  auto log = std::make_shared<spdlog::logger>(
      "kycd", std::make_shared<server::ThreadBufferedSink>(STDOUT_FILENO));
  log->set_pattern("%v");
  log->flush_on(spdlog::level::warn);
  spdlog::register_logger(log);
  spdlog::flush_every(options.log_flush);
  std::error_code ec;
  fs::create_directories(options.data_dir, ec);
  if (ec) {
    std::cerr << "cannot create --data-dir " << options.data_dir << ": " << ec.message() << "\n";
    return 1;
  }
  std::unique_ptr<server::TokenStore> tokens;
  if (options.no_auth) {
    log->warn(R"({"event":"auth_disabled","detail":"--no-auth: every caller has every role"})");
  } else {
    std::string path = options.tokens_file.empty()
                           ? (fs::path(options.data_dir) / "tokens").string()
                           : options.tokens_file;
    if (options.tokens_file.empty()) {
      std::string token = server::create_development_tokens(path);
      if (!token.empty())
        std::cerr << "created a development token file " << path
                  << " (mode 0600); token with every role:\n  " << token << "\n";
    }
    std::string error;
    auto store = server::TokenStore::load(path, error);
    if (!store) {
      std::cerr << error << "\n";
      return 1;
    }
    std::cerr << "tokens: " << path << " (" << store->size() << ")\n";
    tokens = std::make_unique<server::TokenStore>(std::move(*store));
  }
  std::string audit_path = (fs::path(options.data_dir) / "audit.db").string();
  std::string audit_error;
  auto audit = store::AuditLog::open(audit_path, options.audit, audit_error);
  if (!audit) {
    std::cerr << audit_error << "\n";
    return 1;
  }
  std::cerr << "audit log: " << audit_path << " (" << audit->count() << " decisions)\n";
  server::Metrics metrics;
  server::PolicyStore policies((fs::path(options.policy_dir) / options.policy_file).string(),
                               metrics);
  if (!policies.reload()) {
    std::cerr << policies.last_error() << "cannot start: the policy does not load\n";
    return 1;
  }
  policies.watch(options.reload_poll);
  auto document_key = store::DocumentKey::load_or_create(
      (fs::path(options.data_dir) / "document.key").string(), audit_error);
  if (!document_key) {
    std::cerr << audit_error << "\n";
    return 1;
  }
  auto accounts = store::AccountStore::open(audit_path, options.audit.busy_timeout, audit_error);
  if (!accounts) {
    std::cerr << audit_error << "\n";
    return 1;
  }
  server::Api api(options, policies, metrics, tokens.get(),
                  server::Stores{audit.get(), &*document_key, accounts.get()});
  server::HttpServer http(options, api, metrics, policies, log);
  std::string error;
  if (!http.listen(error)) {
    std::cerr << error << "\n";
    return 1;
  }
  if (!options.port_file.empty()) std::ofstream(options.port_file) << http.port() << "\n";
  auto active = policies.current();
  log->info(R"({{"event":"listening","port":{},"policy":"{}","sha256":"{}"}})", http.port(),
            active->compiled->name, active->compiled->sha256);
  std::cerr << "kycd listening on port " << http.port() << "\n";
  int code = http.run();
  log->info(R"({"event":"stopped"})");
  log->flush();
  spdlog::shutdown();
  return code;
}

}  // namespace

void add_serve(CLI::App& app) {
  auto* cmd = app.add_subcommand("serve", "Run the HTTP service");
  static server::ServeOptions o;
  cmd->add_option("--listen", o.listen, "HOST:PORT to listen on")->capture_default_str();
  cmd->add_option("--policy-dir", o.policy_dir, "Folder of the policy")->capture_default_str();
  cmd->add_option("--policy-file", o.policy_file, "The active policy's file name in --policy-dir")
      ->capture_default_str();
  cmd->add_option("--data-dir", o.data_dir,
                  "Folder for tokens and (later) the stores; created if absent")
      ->capture_default_str();
  cmd->add_option("--tokens", o.tokens_file,
                  "Tokens file: TOKEN ROLE[,ROLE...] per line (default DATA_DIR/tokens)");
  cmd->add_flag("--no-auth", o.no_auth,
                "Serve without authentication (development only; warns at start)");
  cmd->add_option("--threads", o.threads,
                  "IO threads (0: one per core but one, which the audit writer uses)")
      ->capture_default_str();
  cmd->add_option("--port-file", o.port_file, "Write the bound port here (useful with port 0)");
  add_duration(cmd, "--reload-poll", o.reload_poll,
               "How often the policy file is checked for changes");
  auto& l = o.limits;
  cmd->add_option("--max-header-bytes", l.header_bytes, "Request line and headers")
      ->capture_default_str();
  cmd->add_option("--max-body-bytes", l.body_bytes, "Request body (413 before reading it)")
      ->capture_default_str();
  cmd->add_option("--max-upload-bytes", l.upload_bytes, "Body of a photo upload")
      ->capture_default_str();
  cmd->add_option("--max-upload-parts", l.upload_parts, "Parts of one multipart upload")
      ->capture_default_str();
  cmd->add_option("--image-threads", l.image_threads, "Image analysis threads (0: one per core)")
      ->capture_default_str();
  cmd->add_option("--image-queue", l.image_queue, "Uploads waiting for analysis; more get 503")
      ->capture_default_str();
  cmd->add_option("--max-json-depth", l.json_depth, "Nesting of request JSON")
      ->capture_default_str();
  cmd->add_option("--max-json-elements", l.json_elements, "Values in request JSON")
      ->capture_default_str();
  cmd->add_option("--max-connections", l.max_connections, "Open connections; more get 503")
      ->capture_default_str();
  add_duration(cmd, "--read-timeout", l.read_timeout, "Deadline to receive a request");
  add_duration(cmd, "--write-timeout", l.write_timeout, "Deadline to send a response");
  add_duration(cmd, "--idle-timeout", l.idle_timeout, "Keep-alive wait for the next request");
  add_duration(cmd, "--linger-timeout", l.linger_timeout,
               "After a last answer, unread input is dropped this long before closing");
  add_duration(cmd, "--shutdown-deadline", l.shutdown_deadline, "Drain time on SIGTERM/SIGINT");
  cmd->add_option("--audit-batch-max", o.audit.batch_max,
                  "Decisions in one audit transaction at most")
      ->capture_default_str();
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
  cmd->callback([] { exit_code = serve(o); });
}

}  // namespace kyc::cli
