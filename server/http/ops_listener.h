// The operations listener (--ops-listen): GET /healthz, /readyz and /metrics only, nothing
// that needs a token, on a thread and an io_context of its own and with its own connection
// budget (Limits::ops_connections). A flood of the main listener (idle sockets, a client at
// its connection cap, busy IO threads) leaves the probes and the scraper their answers, like
// OPA's diagnostic address. Its requests are not in the access log nor in the request metrics:
// a probe every second would drown both.
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "server/metrics.h"
#include "server/serve_options.h"
#include "service/policy_store.h"
#include "store/decision_log.h"

namespace kyc::server {

class OpsListener {
 public:
  // `log`, when given, says when it cannot take records (/readyz answers 503 then).
  OpsListener(const ServeOptions& options, Metrics& metrics, service::PolicyStore& policies,
              const store::DecisionLog* log);
  ~OpsListener();

  // Binds options.ops_listen (HOST:PORT).
  common::Result<void> listen();
  unsigned short port() const;
  // Serves on a thread of its own until stop().
  void start();
  void stop();

  struct Impl;  // public so that its sessions in ops_listener.cc can reach it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace kyc::server
