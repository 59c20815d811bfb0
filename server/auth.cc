#include "server/auth.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

namespace kyc::server {

std::string role_names(Roles roles) {
  std::string out;
  for (auto [bit, name] : {std::pair{kEvaluate, "evaluate"}, {kAudit, "audit"}, {kAdmin, "admin"}})
    if (roles & bit) out += (out.empty() ? "" : ",") + std::string(name);
  return out;
}

TokenStore TokenStore::parse(std::string_view text, std::string& error) {
  TokenStore store;
  std::istringstream in{std::string(text)};
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    std::string token, roles, extra;
    if (!(words >> token)) continue;
    if (!(words >> roles) || (words >> extra)) {
      error = "line " + std::to_string(number) + ": expected `TOKEN ROLE[,ROLE...]`";
      return {};
    }
    if (token.size() < 16) {
      error = "line " + std::to_string(number) + ": token shorter than 16 characters";
      return {};
    }
    Roles mask = 0;
    std::istringstream list(roles);
    for (std::string role; std::getline(list, role, ',');) {
      if (role == "evaluate")
        mask |= kEvaluate;
      else if (role == "audit")
        mask |= kAudit;
      else if (role == "admin")
        mask |= kAdmin;
      else {
        error = "line " + std::to_string(number) + ": unknown role '" + role +
                "' (evaluate, audit, admin)";
        return {};
      }
    }
    store.entries_.push_back({token, mask});
  }
  return store;
}

std::optional<TokenStore> TokenStore::load(const std::string& path, std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = "cannot read " + path;
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  TokenStore store = parse(ss.str(), error);
  if (!error.empty()) {
    error = path + ": " + error;
    return std::nullopt;
  }
  return store;
}

Roles TokenStore::roles_of(std::string_view token) const {
  // Every entry is compared, matched or not, so the time does not tell which one matched.
  Roles found = 0;
  for (const auto& e : entries_) {
    bool same = e.token.size() == token.size() &&
                CRYPTO_memcmp(e.token.data(), token.data(), token.size()) == 0;
    found |= same ? e.roles : 0;
  }
  return found;
}

std::string create_development_tokens(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) == 0) return "";
  unsigned char bytes[24];
  RAND_bytes(bytes, sizeof bytes);
  static const char* hex = "0123456789abcdef";
  std::string token = "dev-";
  for (unsigned char b : bytes) {
    token += hex[b >> 4];
    token += hex[b & 15];
  }
  {
    std::ofstream out(path);
    out << "# kycd bearer tokens: TOKEN ROLE[,ROLE...] (roles: evaluate, audit, admin)\n"
        << "# Development token created on first start; replace it before production.\n"
        << token << " evaluate,audit,admin\n";
  }
  chmod(path.c_str(), 0600);
  return token;
}

}  // namespace kyc::server
