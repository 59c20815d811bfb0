// kyc tokens new|hash: bearer tokens for the service. The tokens file keeps only each token's
// SHA-256; the token itself is printed once, here, for the person who hands it out.
#include <unistd.h>

#include <iostream>
#include <string>

#include "cli/commands.h"
#include "service/access_tokens.h"

namespace kyc::cli {

void add_tokens(CLI::App& app) {
  auto* cmd = app.add_subcommand("tokens", "Create bearer tokens; the tokens file keeps hashes");
  cmd->require_subcommand(1);

  static std::string roles = "evaluate", file;
  auto* make = cmd->add_subcommand(
      "new", "Create a token, add its hash to --file (created 0600 if absent), print the token");
  make->add_option("--roles", roles, "evaluate, audit, admin (comma-separated)")
      ->capture_default_str();
  make->add_option("--file", file, "The tokens file (kyc serve --tokens, or DATA_DIR/tokens)")
      ->required();
  make->callback([] {
    std::string error;
    service::Roles mask = service::parse_roles(roles, error);
    std::string token = mask ? service::new_token() : "";
    if (mask && token.empty()) error = "no random bytes for a token";
    if (error.empty() &&
        service::append_token_line(file, service::token_line(token, mask), error)) {
      std::cout << token << "\n";
      if (isatty(STDOUT_FILENO))
        std::cerr << "added to " << file << " with roles " << service::role_names(mask)
                  << "; the token is shown only now. A running kyc serve reads it on SIGHUP.\n";
      return;
    }
    std::cerr << "kyc tokens new: " << error << "\n";
    exit_code = 1;
  });

  static std::string hash_roles = "evaluate";
  auto* hash = cmd->add_subcommand(
      "hash", "Read a token on standard input, print its tokens-file line (sha256:HASH ROLES)");
  hash->add_option("--roles", hash_roles, "evaluate, audit, admin (comma-separated)")
      ->capture_default_str();
  hash->callback([] {
    std::string error, token;
    service::Roles mask = service::parse_roles(hash_roles, error);
    std::getline(std::cin, token);
    if (!token.empty() && token.back() == '\r') token.pop_back();
    if (mask && token.size() < 16) error = "a token has at least 16 characters";
    if (!error.empty()) {
      std::cerr << "kyc tokens hash: " << error << "\n";
      exit_code = 1;
      return;
    }
    std::cout << service::token_line(token, mask) << "\n";
  });
}

}  // namespace kyc::cli
