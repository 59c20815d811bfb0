// Telling the service manager (systemd, Type=notify) what the service is doing: ready once it
// listens, reloading while a SIGHUP reloads the policy and the tokens, stopping once a stop
// signal arrived. Without a manager (no $NOTIFY_SOCKET) each call does nothing.
#pragma once

#include <string>

namespace kyc::server::service_manager {

void ready(const std::string& status);
void reloading();
void stopping();

}  // namespace kyc::server::service_manager
