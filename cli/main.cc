// kyc: the command-line face of kycd. Thin: parses flags and calls the libraries.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "cli/commands.h"

int main(int argc, char** argv) {
  // Tesseract runs parts of its LSTM on OpenMP threads of its own; on a busy machine (the
  // service's image pool already keeps every core busy) they spin-wait against each other,
  // and one OCR pass took 5-6x as long (bench/README.md: 642 -> 97 ms). OMP_THREAD_LIMIT=1
  // stops that, but libgomp reads it when it is loaded, before main(): setting it here is too
  // late for this process, so the process runs itself again with it set (once: the second
  // run finds it). Without /proc it goes on as it is: slower, but the same facts.
  if (!std::getenv("OMP_THREAD_LIMIT")) {
    setenv("OMP_THREAD_LIMIT", "1", 1);
    execv("/proc/self/exe", argv);
  }
  // Every file kyc makes holds personal data or a secret (the audit log and its WAL, keys,
  // tokens, debug images of a document): none is readable by other users from its first byte,
  // whichever command creates it. prepare_data_dir also closes up files made before.
  umask(077);
  CLI::App app{"kyc - KYC document decisions from a policy you can read"};
  app.set_version_flag("--version",
                       std::string("kyc ") + KYC_VERSION + " (" + KYC_GIT_REVISION + ")");
  app.require_subcommand(1);
  // A config file holds any command's flags, in a section named after it ([serve] ...).
  // Config files are read by the top-level app only, hence here; fallthrough lets
  // `kyc serve --config FILE` find it.
  app.set_config("--config", "",
                 "Read flags from a TOML or INI file; keys of `serve` in a [serve] section");
  // A key the file holds and no flag has (`max-conections`, or a section [serv]) is an
  // error: ignored, it left the service on its default (operator probe, stop 48).
  app.allow_config_extras(CLI::config_extras_mode::error);
  app.fallthrough();
  kyc::cli::add_check(app);
  kyc::cli::add_fmt(app);
  kyc::cli::add_test(app);
  kyc::cli::add_eval(app);
  kyc::cli::add_analyze(app);
  kyc::cli::add_bench(app);
  kyc::cli::add_serve(app);
  kyc::cli::add_audit(app);
  kyc::cli::add_replay(app);
  kyc::cli::add_policy(app);
  kyc::cli::add_accounts(app);
  kyc::cli::add_tokens(app);
  kyc::cli::add_facts(app);
  kyc::cli::add_keys(app);
  kyc::cli::add_store(app);
  CLI11_PARSE(app, argc, argv);
  return kyc::cli::exit_code;
}
