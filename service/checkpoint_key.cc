#include "service/checkpoint_key.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "common/secret_file.h"
#include "common/sha256.h"

namespace kyc::service {

namespace {

using Pkey = std::shared_ptr<void>;

Pkey own(EVP_PKEY* k) {
  return Pkey(k, [](void* p) { EVP_PKEY_free(static_cast<EVP_PKEY*>(p)); });
}

EVP_PKEY* raw(const Pkey& k) { return static_cast<EVP_PKEY*>(k.get()); }

std::string key_id(EVP_PKEY* k) {
  unsigned char pub[64];
  size_t len = sizeof pub;
  if (EVP_PKEY_get_raw_public_key(k, pub, &len) != 1) return "";
  return common::sha256_hex(std::string_view(reinterpret_cast<char*>(pub), len)).substr(0, 16);
}

// PEM text of the key's public half.
std::string public_pem_of(EVP_PKEY* k) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, k);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(n));
  BIO_free(bio);
  return out;
}

}  // namespace

std::string CheckpointKey::public_path(const std::string& private_path) {
  return (std::filesystem::path(private_path).parent_path() / "checkpoint.pub").string();
}

common::Result<CheckpointKey> CheckpointKey::load_or_create(const std::string& path) {
  CheckpointKey k;
  if (FILE* f = std::fopen(path.c_str(), "r")) {
    EVP_PKEY* pkey = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
    std::fclose(f);
    if (!pkey || EVP_PKEY_get_id(pkey) != EVP_PKEY_ED25519) {
      EVP_PKEY_free(pkey);
      return common::fail(path + ": not an Ed25519 private key (PEM)");
    }
    k.key_ = own(pkey);
  } else {
    EVP_PKEY* pkey = nullptr;
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr);
    bool made = ctx && EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_keygen(ctx, &pkey) == 1;
    EVP_PKEY_CTX_free(ctx);
    if (!made) return common::fail("cannot make an Ed25519 key");
    k.key_ = own(pkey);
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<size_t>(n));
    BIO_free(bio);
    if (auto written = common::write_new_secret_file(path, pem); !written) return written.error();
  }
  k.has_private_ = true;
  k.id_ = key_id(raw(k.key_));
  std::string pub = public_path(path);
  std::error_code ec;
  if (!std::filesystem::exists(pub, ec))
    if (auto written = common::write_new_secret_file(pub, public_pem_of(raw(k.key_)), 0644); !written)
      return written.error();
  return k;
}

common::Result<CheckpointKey> CheckpointKey::load_public(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "r");
  if (!f) return common::fail(path + ": cannot read the checkpoint public key");
  EVP_PKEY* pkey = PEM_read_PUBKEY(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (!pkey || EVP_PKEY_get_id(pkey) != EVP_PKEY_ED25519) {
    EVP_PKEY_free(pkey);
    return common::fail(path + ": not an Ed25519 public key (PEM)");
  }
  CheckpointKey k;
  k.key_ = own(pkey);
  k.id_ = key_id(pkey);
  return k;
}

std::string CheckpointKey::sign(std::string_view message) const {
  unsigned char sig[64];
  size_t len = sizeof sig;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = has_private_ && ctx &&
            EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, raw(key_)) == 1 &&
            EVP_DigestSign(ctx, sig, &len, reinterpret_cast<const unsigned char*>(message.data()),
                           message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) return "";
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < len; ++i) {
    out += digits[sig[i] >> 4];
    out += digits[sig[i] & 15];
  }
  return out;
}

bool CheckpointKey::verify(std::string_view message, const std::string& signature_hex) const {
  if (signature_hex.size() != 128) return false;
  unsigned char sig[64];
  for (size_t i = 0; i < 64; ++i) {
    auto nibble = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      return -1;
    };
    int hi = nibble(signature_hex[2 * i]), lo = nibble(signature_hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    sig[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok =
      ctx && EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, raw(key_)) == 1 &&
      EVP_DigestVerify(ctx, sig, sizeof sig, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

std::string CheckpointKey::public_pem() const { return public_pem_of(raw(key_)); }

}  // namespace kyc::service
