#include "common/aead.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <pthread.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstring>
#include <memory>

namespace kyc::common::aead {

namespace {

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* bytes_of(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

// The version byte is authenticated with the caller's associated data: a value cannot be
// relabelled as another format version.
bool add_associated_data(EVP_CIPHER_CTX* ctx, bool encrypt, std::string_view associated_data) {
  int len = 0;
  auto update = encrypt ? &EVP_EncryptUpdate : &EVP_DecryptUpdate;
  if (update(ctx, nullptr, &len, &kVersion, 1) != 1) return false;
  return associated_data.empty() || update(ctx, nullptr, &len, bytes_of(associated_data),
                                           static_cast<int>(associated_data.size())) == 1;
}

// AES-256-GCM fetched once: OpenSSL 3 otherwise looks the algorithm up on every init, which
// was a third of a seal's cost (bench/README.md, "Personal data on the account path").
const EVP_CIPHER* gcm() {
  static const EVP_CIPHER* fetched = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  return fetched ? fetched : EVP_aes_256_gcm();
}

// Which process generation this is, seen from the child: a buffer of nonces drawn before the
// latest fork is the parent's too. A pthread_atfork handler counts the forks, rather than
// getpid() per nonce: a system call per seal was three per account request (bench/README.md,
// "Syscalls on the account path"). Should the handler not register (no memory), the process
// id stands in.
std::atomic<unsigned> forks{0};
unsigned generation() {
  static const bool registered = [] {
    return pthread_atfork(nullptr, nullptr, [] { forks.fetch_add(1); }) == 0;
  }();
  if (!registered) return static_cast<unsigned>(getpid());
  return forks.load(std::memory_order_relaxed);
}

// Nonces come from the CSPRNG 64 at a time per thread: one RAND_bytes call cost as much as
// the rest of a seal. Each nonce is still 96 fresh random bits used once. A forked child
// drops its parent's buffer, so two processes never use the same nonces.
bool fresh_nonce(unsigned char* nonce) {
  constexpr size_t kPerDraw = 64;
  thread_local std::array<unsigned char, kPerDraw * kNonceBytes> buffer;
  thread_local size_t used = kPerDraw;
  thread_local unsigned drawn_in = 0;
  if (unsigned now = generation(); now != drawn_in) {
    drawn_in = now;
    used = kPerDraw;
  }
  if (used == kPerDraw) {
    if (RAND_bytes(buffer.data(), static_cast<int>(buffer.size())) != 1) return false;
    used = 0;
  }
  unsigned char* next = buffer.data() + used++ * kNonceBytes;
  std::memcpy(nonce, next, kNonceBytes);
  std::memset(next, 0, kNonceBytes);  // used once: not left to be handed out again
  return true;
}

}  // namespace

Result<std::string> seal(const SecretKey& key, std::string_view plaintext,
                         std::string_view associated_data) {
  if (key.bytes().size() != SecretKey::kBytes) return fail("AES-256-GCM: no key (moved away)");
  if (plaintext.size() > kMaxPlaintextBytes)
    return fail("a value of " + std::to_string(plaintext.size()) +
                " bytes is over the sealing limit of " + std::to_string(kMaxPlaintextBytes));
  if (associated_data.size() > kMaxAssociatedDataBytes)
    return fail("associated data over " + std::to_string(kMaxAssociatedDataBytes) + " bytes");
  std::string out(kOverheadBytes + plaintext.size(), '\0');
  out[0] = static_cast<char>(kVersion);
  unsigned char* nonce = bytes_of(out) + 1;
  unsigned char* ciphertext = nonce + kNonceBytes;
  unsigned char* tag = ciphertext + plaintext.size();
  if (!fresh_nonce(nonce)) return fail("no randomness for a nonce");

  CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  int len = 0;
  bool ok =
      ctx &&  // GCM's default nonce length is kNonceBytes: one init sets cipher, key and nonce
      EVP_EncryptInit_ex(ctx.get(), gcm(), nullptr, bytes_of(key.bytes()), nonce) == 1 &&
      add_associated_data(ctx.get(), true, associated_data) &&
      (plaintext.empty() || EVP_EncryptUpdate(ctx.get(), ciphertext, &len, bytes_of(plaintext),
                                              static_cast<int>(plaintext.size())) == 1) &&
      EVP_EncryptFinal_ex(ctx.get(), ciphertext + len, &len) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, tag) == 1;
  if (!ok) return fail("AES-256-GCM: cannot seal (OpenSSL failed)");
  return out;
}

Result<std::string> open(const SecretKey& key, std::string_view sealed,
                         std::string_view associated_data) {
  if (key.bytes().size() != SecretKey::kBytes) return fail("AES-256-GCM: no key (moved away)");
  if (sealed.size() < kOverheadBytes)
    return fail("the sealed value is " + std::to_string(sealed.size()) +
                " bytes long, shorter than the " + std::to_string(kOverheadBytes) +
                " any sealed value has: it was cut");
  if (sealed.size() - kOverheadBytes > kMaxPlaintextBytes)
    return fail("the sealed value is over the limit of " + std::to_string(kMaxPlaintextBytes) +
                " bytes");
  if (associated_data.size() > kMaxAssociatedDataBytes)
    return fail("associated data over " + std::to_string(kMaxAssociatedDataBytes) + " bytes");
  auto version = static_cast<unsigned char>(sealed[0]);
  if (version != kVersion)
    return fail("the sealed value has format version " + std::to_string(version) +
                "; this build reads version " + std::to_string(kVersion));
  const unsigned char* nonce = bytes_of(sealed) + 1;
  const unsigned char* ciphertext = nonce + kNonceBytes;
  size_t ciphertext_size = sealed.size() - kOverheadBytes;
  // OpenSSL's SET_TAG takes a non-const pointer; it copies from it.
  std::string tag(sealed.substr(sealed.size() - kTagBytes));

  std::string plaintext(ciphertext_size, '\0');
  CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  int len = 0;
  bool set_up =
      ctx && EVP_DecryptInit_ex(ctx.get(), gcm(), nullptr, bytes_of(key.bytes()), nonce) == 1 &&
      add_associated_data(ctx.get(), false, associated_data) &&
      (ciphertext_size == 0 || EVP_DecryptUpdate(ctx.get(), bytes_of(plaintext), &len, ciphertext,
                                                 static_cast<int>(ciphertext_size)) == 1) &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1;
  if (!set_up) {
    wipe(plaintext);
    return fail("AES-256-GCM: cannot open (OpenSSL failed)");
  }
  // The tag is checked here: until then the plaintext is unauthenticated and must not leave.
  if (EVP_DecryptFinal_ex(ctx.get(), bytes_of(plaintext) + len, &len) != 1) {
    wipe(plaintext);
    return fail(
        "the sealed value does not open: a wrong key, a value moved from another account or "
        "field, or altered bytes");
  }
  return plaintext;
}

}  // namespace kyc::common::aead
