#include "service/access_tokens.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/sha256.h"

namespace kyc::service {

namespace {

constexpr std::string_view kHashPrefix = "sha256:";
constexpr size_t kMinTokenLength = 16;

bool is_hex64(std::string_view s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

}  // namespace

bool is_token_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 &&
         name.find_first_not_of(
             "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@-") ==
             std::string_view::npos;
}

std::string role_names(Roles roles) {
  std::string out;
  for (auto [bit, name] : {std::pair{kEvaluate, "evaluate"}, {kAudit, "audit"}, {kAdmin, "admin"}})
    if (roles & bit) out += (out.empty() ? "" : ",") + std::string(name);
  return out;
}

Result<Roles> parse_roles(std::string_view list) {
  Roles mask = 0;
  std::istringstream in{std::string(list)};
  for (std::string role; std::getline(in, role, ',');) {
    if (role == "evaluate")
      mask |= kEvaluate;
    else if (role == "audit")
      mask |= kAudit;
    else if (role == "admin")
      mask |= kAdmin;
    else
      return common::fail("unknown role '" + role + "' (evaluate, audit, admin)");
  }
  if (mask == 0) return common::fail("no role given (evaluate, audit, admin)");
  return mask;
}

Result<TokenStore> TokenStore::parse(std::string_view text) {
  TokenStore store;
  std::istringstream in{std::string(text)};
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    auto fail = [&](const std::string& why) {
      return common::fail("line " + std::to_string(number) + ": " + why);
    };
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    std::string token, roles, name, extra;
    if (!(words >> token)) continue;
    if (!(words >> roles) || ((words >> name) && (words >> extra)))
      return fail("expected `sha256:HASH ROLE[,ROLE...] [NAME]`");
    if (!name.empty() && !is_token_name(name))
      return fail("a token's name is up to 64 letters, digits and . _ @ -");
    std::string hash;
    if (token.starts_with(kHashPrefix)) {
      hash = token.substr(kHashPrefix.size());
      if (!is_hex64(hash)) return fail("sha256: must be followed by 64 lower-case hex digits");
    } else {
      if (token.size() < kMinTokenLength)
        return fail("token shorter than " + std::to_string(kMinTokenLength) + " characters");
      hash = common::sha256_hex(token);
      store.clear_lines_.push_back(number);
    }
    auto mask = parse_roles(roles);
    if (!mask) return fail(mask.error().message);
    if (name.empty()) name = "sha256:" + hash.substr(0, 12);
    store.entries_.push_back({hash, *mask, name});
  }
  return store;
}

Result<TokenStore> TokenStore::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return common::fail("cannot read the tokens file " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  auto store = parse(ss.str());
  if (!store) return common::fail(path + ": " + store.error().message);
  return store;
}

TokenStore::Caller TokenStore::identify(std::string_view token) const {
  // The presented token is hashed and every entry compared, matched or not, so the time says
  // neither which entry matched nor how much of a guess was right.
  std::string hash = common::sha256_hex(token);
  Caller found;
  for (const auto& e : entries_) {
    bool same = CRYPTO_memcmp(e.sha256.data(), hash.data(), hash.size()) == 0;
    found.roles |= same ? e.roles : 0;
    if (same && found.name.empty()) {
      found.name = e.name;
      found.key = e.sha256;
    }
  }
  return found;
}

Result<std::unique_ptr<TokenFile>> TokenFile::open(std::string path) {
  auto file = std::make_unique<TokenFile>();
  file->path_ = std::move(path);
  if (auto read = file->reload(); !read) return read.error();
  return file;
}

Result<void> TokenFile::reload() {
  auto store = TokenStore::load(path_);
  if (!store) return store.error();
  current_.store(std::make_shared<const TokenStore>(std::move(*store)));
  return {};
}

std::string token_line(std::string_view token, Roles roles) {
  return std::string(kHashPrefix) + common::sha256_hex(token) + " " + role_names(roles);
}

std::string new_token() {
  unsigned char bytes[24];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return "";
  static const char* hex = "0123456789abcdef";
  std::string token = "kyc_";
  for (unsigned char b : bytes) {
    token += hex[b >> 4];
    token += hex[b & 15];
  }
  return token;
}

namespace {

enum class Write { CreateOnly, CreateOrAppend };

// Writes `line` (and the header, when the file is new); EEXIST under CreateOnly is `exists`.
Result<void> write_token_line(const std::string& path, const std::string& line, Write how,
                              bool& exists) {
  static const char* kHeader =
      "# kycd bearer tokens: sha256:HASH ROLE[,ROLE...] (roles: evaluate, audit, admin).\n"
      "# Only hashes are kept here; `kyc tokens new --roles ROLES` adds one.\n";
  exists = false;
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  bool created = fd >= 0;
  if (!created && errno == EEXIST) {
    exists = true;
    if (how == Write::CreateOnly) return {};
    fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
  }
  if (fd < 0) return common::fail("cannot write the tokens file " + path + ": " + std::strerror(errno));
  std::string text = (created ? std::string(kHeader) : "") + line + "\n";
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  if (!ok) return common::fail("cannot write the tokens file " + path + ": " + std::strerror(errno));
  return {};
}

}  // namespace

Result<void> append_token_line(const std::string& path, const std::string& line) {
  bool exists;
  return write_token_line(path, line, Write::CreateOrAppend, exists);
}

Result<std::string> create_development_tokens(const std::string& path) {
  std::string token = new_token();
  if (token.empty()) return common::fail("no random bytes for a token");
  bool exists = false;
  auto written =
      write_token_line(path, token_line(token, kEvaluate | kAudit | kAdmin), Write::CreateOnly, exists);
  if (!written) return written.error();
  return exists ? std::string() : token;
}

}  // namespace kyc::service
