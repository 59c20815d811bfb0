#include "store/chain_key.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>

#include "common/sha256.h"

namespace kyc::store {

namespace {

std::string hex(const unsigned char* bytes, size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) {
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 15];
  }
  return out;
}

}  // namespace

ChainKey ChainKey::from_bytes(std::string bytes) {
  ChainKey k;
  k.key_ = std::move(bytes);
  k.id_ = common::sha256_hex(k.key_).substr(0, 16);
  std::unique_ptr<EVP_MAC, decltype(&EVP_MAC_free)> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr),
                                                        &EVP_MAC_free);
  EVP_MAC_CTX* ctx = mac ? EVP_MAC_CTX_new(mac.get()) : nullptr;
  k.base_.reset(ctx, [](void* c) { EVP_MAC_CTX_free(static_cast<EVP_MAC_CTX*>(c)); });
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest, 0),
                         OSSL_PARAM_construct_end()};
  if (!ctx || EVP_MAC_init(ctx, reinterpret_cast<const unsigned char*>(k.key_.data()),
                           k.key_.size(), params) != 1)
    throw std::runtime_error("HMAC-SHA-256 is not available");
  return k;
}

common::Result<ChainKey> ChainKey::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return common::fail(path + ": cannot read the chain key");
  std::string bytes(std::istreambuf_iterator<char>(in), {});
  if (bytes.size() < 32) return common::fail(path + ": the chain key is shorter than 32 bytes");
  return from_bytes(std::move(bytes));
}

common::Result<ChainKey> ChainKey::load_or_create(const std::string& path) {
  if (::access(path.c_str(), F_OK) == 0) return load(path);
  std::string bytes(32, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), 32) != 1)
    return common::fail("no randomness for the chain key");
  // O_EXCL: two processes starting at once do not each write a key of their own.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return load(path);
    return common::fail("cannot create the chain key " + path);
  }
  bool written = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()) &&
                 ::fsync(fd) == 0;
  ::close(fd);
  if (!written) return common::fail("cannot write the chain key " + path);
  return from_bytes(std::move(bytes));
}

std::string ChainKey::mac_hex(std::initializer_list<std::string_view> parts) const {
  // One context per thread, re-initialised with the key it already holds (cheap: the padded
  // key's digest states are kept); copied from base_ only when the key changes. The audit
  // writer links every record with one key.
  struct Cached {
    std::shared_ptr<void> base;  // held: its address cannot be another key's meanwhile
    std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx{nullptr, &EVP_MAC_CTX_free};
  };
  thread_local Cached cached;
  if (cached.base != base_ || !cached.ctx) {
    cached.ctx.reset(EVP_MAC_CTX_dup(static_cast<EVP_MAC_CTX*>(base_.get())));
    if (!cached.ctx) throw std::runtime_error("HMAC-SHA-256: out of memory");
    cached.base = base_;
  } else if (EVP_MAC_init(cached.ctx.get(), nullptr, 0, nullptr) != 1) {
    throw std::runtime_error("HMAC-SHA-256: cannot restart");
  }
  EVP_MAC_CTX* ctx = cached.ctx.get();
  for (std::string_view p : parts)
    EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(p.data()), p.size());
  unsigned char out[EVP_MAX_MD_SIZE];
  size_t len = 0;
  EVP_MAC_final(ctx, out, &len, sizeof out);
  return hex(out, len);
}

}  // namespace kyc::store
