// Bearer tokens and their roles, read from a tokens file: one `sha256:HASH ROLE[,ROLE...] [NAME]`
// per line, `#` comments. The file holds the SHA-256 of each token, never the token: a copy
// of the file (a backup, a support bundle) lets nobody in. A line with a token in clear is
// still read, hashed at once, and reported so the operator replaces it. Tokens are random
// (at least 16 characters), so an unsalted hash is enough; comparison is in constant time.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace kyc::service {

using common::Result;

enum Role : uint8_t { kEvaluate = 1, kAudit = 2, kAdmin = 4 };
using Roles = uint8_t;
// Roles that read personal values back (records, notices, evidence); a backend with the
// evaluate role alone gets them withheld (personal_facts.h).
inline bool reads_personal_data(Roles roles) { return roles & (kAudit | kAdmin); }

std::string role_names(Roles roles);
// "evaluate,audit" -> roles (never 0); an error for an unknown name or none.
Result<Roles> parse_roles(std::string_view list);

class TokenStore {
 public:
  // Reads the file; an error names the line. An empty store rejects every token.
  static Result<TokenStore> load(const std::string& path);
  static Result<TokenStore> parse(std::string_view text);

  // Roles of the token, or 0 when it is unknown.
  Roles roles_of(std::string_view token) const { return identify(token).roles; }
  // Who holds the token: its roles and its name (the optional third word of its line; without
  // one, "sha256:" and the first 12 digits of its hash, which name the line and not the token).
  struct Caller {
    Roles roles = 0;
    std::string name;
    // Stable for the token across reloads, and not the token: the SHA-256 its line holds. The
    // per-token rate limit is keyed by it. Empty for an unknown token.
    std::string key;
  };
  Caller identify(std::string_view token) const;
  size_t size() const { return entries_.size(); }
  // Lines that held a token in clear (1-based), for a warning.
  const std::vector<int>& clear_lines() const { return clear_lines_; }

 private:
  struct Entry {
    std::string sha256;  // hex, 64 characters
    Roles roles;
    std::string name;
  };
  std::vector<Entry> entries_;
  std::vector<int> clear_lines_;
};

// The tokens file of a running service: read again on SIGHUP. A request sees the whole old
// file or the whole new one; a file that does not read keeps the old tokens.
class TokenFile {
 public:
  static Result<std::unique_ptr<TokenFile>> open(std::string path);
  // A file that does not read keeps the tokens in use, and says why.
  Result<void> reload();
  Roles roles_of(std::string_view token) const { return current_.load()->roles_of(token); }
  TokenStore::Caller identify(std::string_view token) const {
    return current_.load()->identify(token);
  }
  std::shared_ptr<const TokenStore> current() const { return current_.load(); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::atomic<std::shared_ptr<const TokenStore>> current_;
};

// A token's name in the tokens file (who holds it): 1-64 letters, digits and . _ @ -.
bool is_token_name(std::string_view name);
// `sha256:HEX ROLES` for a token: the line a tokens file holds.
std::string token_line(std::string_view token, Roles roles);
// A new random token ("kyc_" + 48 hex digits).
std::string new_token();

// Appends `line` to the tokens file, creating it (O_EXCL, mode 0600) when it does not exist:
// never through a symlink, never readable by others.
Result<void> append_token_line(const std::string& path, const std::string& line);

// Creates the tokens file with one development token holding every role, if the file does
// not exist yet. Returns the token (shown once), or "" when the file already existed.
Result<std::string> create_development_tokens(const std::string& path);

}  // namespace kyc::service
