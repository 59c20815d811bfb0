// kyc: the command-line face of kycd. Thin: parses flags and calls the libraries.
#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"kyc - KYC document decisions from a policy you can read"};
  app.require_subcommand(1);
  kyc::cli::add_check(app);
  kyc::cli::add_fmt(app);
  kyc::cli::add_test(app);
  kyc::cli::add_eval(app);
  kyc::cli::add_bench(app);
  kyc::cli::add_serve(app);
  kyc::cli::add_audit(app);
  kyc::cli::add_replay(app);
  CLI11_PARSE(app, argc, argv);
  return kyc::cli::exit_code;
}
