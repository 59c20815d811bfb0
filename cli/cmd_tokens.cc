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

  static std::string roles = "evaluate", file, name;
  auto* make = cmd->add_subcommand(
      "new", "Create a token, add its hash to --file (created 0600 if absent), print the token");
  make->add_option("--roles", roles, "evaluate, audit, admin (comma-separated)")
      ->capture_default_str();
  make->add_option("--file", file, "The tokens file (kyc serve --tokens, or DATA_DIR/tokens)")
      ->required();
  // Who holds it: the audit log and the policy history name a caller by it (without a name,
  // by its hash's first digits).
  make->add_option("--name", name, "Who holds the token (up to 64 letters, digits and . _ @ -)");
  make->callback([] {
    auto failed = [](const std::string& why) {
      std::cerr << "kyc tokens new: " << why << "\n";
      exit_code = 1;
    };
    auto mask = service::parse_roles(roles);
    if (!mask) return failed(mask.error().message);
    if (!name.empty() && !service::is_token_name(name))
      return failed("--name is up to 64 letters, digits and . _ @ -");
    std::string token = service::new_token();
    if (token.empty()) return failed("no random bytes for a token");
    std::string line = service::token_line(token, *mask) + (name.empty() ? "" : " " + name);
    if (auto added = service::append_token_line(file, line); !added)
      return failed(added.error().message);
    std::cout << token << "\n";
    if (isatty(STDOUT_FILENO))
      std::cerr << "added to " << file << " with roles " << service::role_names(*mask)
                << "; the token is shown only now. A running kyc serve reads it on SIGHUP.\n";
  });

  static std::string hash_roles = "evaluate";
  auto* hash = cmd->add_subcommand(
      "hash", "Read a token on standard input, print its tokens-file line (sha256:HASH ROLES)");
  hash->add_option("--roles", hash_roles, "evaluate, audit, admin (comma-separated)")
      ->capture_default_str();
  hash->callback([] {
    std::string token;
    auto mask = service::parse_roles(hash_roles);
    std::getline(std::cin, token);
    if (!token.empty() && token.back() == '\r') token.pop_back();
    std::string error = !mask                ? mask.error().message
                        : token.size() < 16 ? "a token has at least 16 characters"
                                            : "";
    if (!error.empty()) {
      std::cerr << "kyc tokens hash: " << error << "\n";
      exit_code = 1;
      return;
    }
    std::cout << service::token_line(token, *mask) << "\n";
  });
}

}  // namespace kyc::cli
