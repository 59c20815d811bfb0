// Replicas follow each other's policy activations: the writer that records an activation
// sends NOTIFY on kActivationChannel in the same transaction (PostgreSQL delivers it at
// commit), and every replica's listener LISTENs on its own connection and calls `changed`.
// A dropped connection is made again, and `changed` is called then too: a notification sent
// while it was down is lost, the activation in the table is not.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

namespace kyc::store::postgres {

inline constexpr const char* kActivationChannel = "kycd_activations";

class ActivationListener {
 public:
  // Starts listening at once; `changed` runs on the listener's thread. `reachable` says,
  // as the listener finds out, whether its connection to the database is up.
  ActivationListener(std::string url, std::function<void()> changed,
                     std::atomic<bool>& reachable);
  ~ActivationListener();  // stops within kWake
  ActivationListener(const ActivationListener&) = delete;
  ActivationListener& operator=(const ActivationListener&) = delete;

  // How often the thread looks up from waiting (to stop, or to connect again).
  static constexpr std::chrono::milliseconds kWake{500};

 private:
  void run();

  std::string url_;
  std::function<void()> changed_;
  std::atomic<bool>& reachable_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace kyc::store::postgres
