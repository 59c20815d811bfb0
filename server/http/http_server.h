// The HTTP/1.1 transport (Boost.Beast): listener, sessions, deadlines, limits, signals and the
// graceful drain. Beast and Asio stay in server/http/; the handlers are reached through Api.
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "server/api.h"

namespace spdlog {
class logger;
}

namespace kyc::server {

class HttpServer {
 public:
  HttpServer(const ServeOptions& options, Api& api, Metrics& metrics, PolicyStore& policies,
             std::shared_ptr<spdlog::logger> access_log);
  ~HttpServer();

  // Loads the TLS certificate (--tls-cert; an unusable file is the error), binds the
  // listening socket (and the operations listener's, with --ops-listen).
  common::Result<void> listen();
  unsigned short port() const;
  unsigned short ops_port() const;  // 0 without --ops-listen
  // Serves until SIGTERM or SIGINT, then stops accepting, lets in-flight requests finish
  // within the shutdown deadline, and returns the exit status. SIGHUP reloads the policy,
  // the tokens and the TLS certificate.
  int run();

  struct Impl;  // public so that the sessions in http_server.cc can reach it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace kyc::server
