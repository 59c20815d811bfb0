#include "server/service_manager.h"

#include <systemd/sd-daemon.h>
#include <time.h>

#include <string>

namespace kyc::server::service_manager {

void ready(const std::string& status) {
  sd_notify(0, ("READY=1\nSTATUS=" + status).c_str());
}

void reloading() {
  // systemd 253+ wants the time the reload started with RELOADING=1 (Type=notify-reload);
  // older managers ignore the field.
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  long long usec = static_cast<long long>(now.tv_sec) * 1000000 + now.tv_nsec / 1000;
  sd_notify(0, ("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec)).c_str());
}

void stopping() { sd_notify(0, "STOPPING=1"); }

}  // namespace kyc::server::service_manager
