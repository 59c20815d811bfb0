#include "server/http/tls_context.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/ssl/context.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace kyc::server {

namespace ssl = boost::asio::ssl;

namespace {

// TLS 1.2: forward secrecy (ECDHE) and AEAD (AES-GCM, ChaCha20-Poly1305) only, as Mozilla's
// "intermediate" profile without finite-field DHE. TLS 1.3's suites are OpenSSL's (all AEAD).
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// OpenSSL's first queued error (the cause; later ones are its callers), then the queue emptied.
std::string openssl_reason() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  const char* lib = ERR_lib_error_string(code);
  const char* reason = ERR_reason_error_string(code);
  std::string out = lib ? std::string(lib) + ": " : "";
  return out + (reason ? reason : "error " + std::to_string(ERR_GET_REASON(code)));
}

// A missing or unreadable file is said so, not as OpenSSL's "system lib".
common::Result<void> readable(const std::string& what, const std::string& path) {
  std::ifstream in(path);
  if (!in)
    return common::fail("cannot read the " + what + " " + path + ": " + std::strerror(errno));
  return {};
}

std::string name_text(const X509_NAME* name) {
  BIO* bio = BIO_new(BIO_s_mem());
  X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(n));
  BIO_free(bio);
  return out;
}

CertificateInfo describe(const X509* cert) {
  CertificateInfo info;
  if (!cert) return info;
  info.subject = name_text(X509_get_subject_name(cert));
  if (BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr)) {
    char* hex = BN_bn2hex(bn);
    info.serial = hex;
    OPENSSL_free(hex);
    BN_free(bn);
  }
  BIO* bio = BIO_new(BIO_s_mem());
  ASN1_TIME_print(bio, X509_get0_notAfter(cert));
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  info.not_after.assign(data, static_cast<size_t>(n));
  BIO_free(bio);
  info.expired = X509_cmp_current_time(X509_get0_notAfter(cert)) < 0;
  return info;
}

// An encrypted key would make OpenSSL ask on the terminal: a service has none, so it fails.
int no_passphrase(char*, int, int, void*) { return 0; }

common::Result<std::shared_ptr<ssl::context>> build(const TlsOptions& files) {
  if (files.cert_file.empty() || files.key_file.empty())
    return common::fail("--tls-cert and --tls-key go together: give both or neither");
  if (auto ok = readable("TLS certificate", files.cert_file); !ok) return ok.error();
  if (auto ok = readable("TLS key", files.key_file); !ok) return ok.error();
  if (!files.client_ca_file.empty())
    if (auto ok = readable("TLS client CA file", files.client_ca_file); !ok) return ok.error();
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* ctx = context->native_handle();
  ERR_clear_error();
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                               SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_SINGLE_ECDH_USE);
  if (SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1)
    return common::fail("TLS cipher list: " + openssl_reason());
  SSL_CTX_set_default_passwd_cb(ctx, no_passphrase);
  if (SSL_CTX_use_certificate_chain_file(ctx, files.cert_file.c_str()) != 1)
    return common::fail("the TLS certificate " + files.cert_file +
                        " is not a PEM certificate: " + openssl_reason());
  if (SSL_CTX_use_PrivateKey_file(ctx, files.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    unsigned long why = ERR_peek_error();
    if (ERR_GET_LIB(why) == ERR_LIB_X509 && (ERR_GET_REASON(why) == X509_R_KEY_VALUES_MISMATCH ||
                                             ERR_GET_REASON(why) == X509_R_KEY_TYPE_MISMATCH))
      return common::fail("the TLS key " + files.key_file + " does not belong to the certificate " +
                          files.cert_file + ": " + openssl_reason());
    return common::fail("the TLS key " + files.key_file +
                        " is not an unencrypted PEM private key: " + openssl_reason());
  }
  if (SSL_CTX_check_private_key(ctx) != 1)
    return common::fail("the TLS key " + files.key_file + " does not belong to the certificate " +
                        files.cert_file + ": " + openssl_reason());
  if (!files.client_ca_file.empty()) {
    const char* ca = files.client_ca_file.c_str();
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(ca);
    if (SSL_CTX_load_verify_locations(ctx, ca, nullptr) != 1 || !names) {
      if (names) sk_X509_NAME_pop_free(names, X509_NAME_free);
      return common::fail("the TLS client CA file " + files.client_ca_file +
                          " holds no PEM certificate: " + openssl_reason());
    }
    SSL_CTX_set_client_CA_list(ctx, names);  // told to clients: which CAs to present
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  }
  // Session resumption with client verification needs an id context, or resuming fails.
  static const unsigned char kSessionContext[] = "kycd";
  SSL_CTX_set_session_id_context(ctx, kSessionContext, sizeof kSessionContext - 1);
  return context;
}

}  // namespace

common::Result<std::unique_ptr<TlsContext>> TlsContext::load(const TlsOptions& files) {
  std::unique_ptr<TlsContext> tls(new TlsContext(files));
  if (auto loaded = tls->reload(); !loaded) return loaded.error();
  return tls;
}

std::shared_ptr<ssl::context> TlsContext::current() const {
  std::lock_guard lock(mutex_);
  return context_;
}

CertificateInfo TlsContext::certificate() const {
  std::lock_guard lock(mutex_);
  return certificate_;
}

common::Result<CertificateInfo> TlsContext::reload() {
  auto built = build(files_);
  if (!built) return built.error();
  CertificateInfo info = describe(SSL_CTX_get0_certificate((*built)->native_handle()));
  std::lock_guard lock(mutex_);
  context_ = std::move(*built);
  certificate_ = info;
  return info;
}

std::string client_common_name(ssl_st* connection) {
  if (!connection) return "";
  X509* peer = SSL_get0_peer_certificate(connection);
  if (!peer) return "";
  X509_NAME* name = X509_get_subject_name(peer);
  int at = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (at < 0) return "";
  unsigned char* utf8 = nullptr;
  int n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, at)));
  if (n < 0) return "";
  std::string out(reinterpret_cast<char*>(utf8), static_cast<size_t>(n));
  OPENSSL_free(utf8);
  return out;
}

bool is_plain_http_error(int openssl_error) {
  return ERR_GET_LIB(openssl_error) == ERR_LIB_SSL &&
         ERR_GET_REASON(openssl_error) == SSL_R_HTTP_REQUEST;
}

}  // namespace kyc::server
