// The server's TLS settings and certificate: one OpenSSL context built from the files of
// --tls-cert, --tls-key and --tls-client-ca, replaced as a whole on reload (SIGHUP). A
// connection holds the context it was accepted with, so a reload never touches it.
// The Asio SSL headers stay in tls_context.cc and connection_stream.h (http_server.cc).
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "common/result.h"
#include "server/serve_options.h"

namespace boost::asio::ssl {
class context;
}
struct ssl_st;  // OpenSSL's SSL

namespace kyc::server {

// What the log says about a loaded certificate.
struct CertificateInfo {
  std::string subject;    // "CN=kycd.example,O=Example"
  std::string serial;     // hex
  std::string not_after;  // "Nov 20 10:00:00 2027 GMT"
  bool expired = false;
};

class TlsContext {
 public:
  // Reads and checks the files. An error names the file and OpenSSL's reason.
  static common::Result<std::unique_ptr<TlsContext>> load(const TlsOptions& files);

  std::shared_ptr<boost::asio::ssl::context> current() const;
  CertificateInfo certificate() const;
  bool requires_client_certificates() const { return !files_.client_ca_file.empty(); }

  // Reads the same files again; on any error the running context is kept.
  common::Result<CertificateInfo> reload();

 private:
  explicit TlsContext(TlsOptions files) : files_(std::move(files)) {}
  TlsOptions files_;
  mutable std::mutex mutex_;
  std::shared_ptr<boost::asio::ssl::context> context_;
  CertificateInfo certificate_;
};

// The common name of the client certificate a connection presented (mTLS), or "".
std::string client_common_name(ssl_st* connection);

// True when a handshake error means the client spoke plain HTTP to the TLS port.
bool is_plain_http_error(int openssl_error);

}  // namespace kyc::server
