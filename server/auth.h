// Bearer tokens and their roles, read from a tokens file: one `TOKEN ROLE[,ROLE...]` per line,
// `#` comments. Tokens are compared in constant time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kyc::server {

enum Role : uint8_t { kEvaluate = 1, kAudit = 2, kAdmin = 4 };
using Roles = uint8_t;

std::string role_names(Roles roles);

class TokenStore {
 public:
  // Reads the file; an error names the line. An empty store rejects every token.
  static std::optional<TokenStore> load(const std::string& path, std::string& error);
  static TokenStore parse(std::string_view text, std::string& error);

  // Roles of the token, or 0 when it is unknown.
  Roles roles_of(std::string_view token) const;
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string token;
    Roles roles;
  };
  std::vector<Entry> entries_;
};

// Creates <data_dir>/tokens with one development token holding every role, mode 0600, if the
// file does not exist yet. Returns the token written, or "" when the file already existed.
std::string create_development_tokens(const std::string& path);

}  // namespace kyc::server
