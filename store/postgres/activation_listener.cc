#include "store/postgres/activation_listener.h"

#include <pqxx/pqxx>

#include "store/postgres/connection.h"

namespace kyc::store::postgres {

namespace {

class Receiver final : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection_base& c, std::function<void()>& changed)
      : pqxx::notification_receiver(c, kActivationChannel), changed_(changed) {}
  void operator()(const std::string&, int) override { changed_(); }

 private:
  std::function<void()>& changed_;
};

}  // namespace

ActivationListener::ActivationListener(std::string url, std::function<void()> changed,
                                       std::atomic<bool>& reachable)
    : url_(std::move(url)),
      changed_(std::move(changed)),
      reachable_(reachable),
      thread_([this] { run(); }) {}

ActivationListener::~ActivationListener() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void ActivationListener::run() {
  constexpr long kWakeUs = kWake.count() * 1000;
  bool first = true;
  while (!stopping_) {
    auto c = connect(url_, kWake);
    reachable_ = c.has_value();
    if (!c) {
      std::this_thread::sleep_for(kWake);  // the database is away: try again
      continue;
    }
    try {
      Receiver receiver(**c, changed_);
      // Listening from here on: what was activated before is in the table. The first time,
      // the service has just read it itself.
      if (!first) changed_();
      first = false;
      while (!stopping_) (*c)->await_notification(0, kWakeUs);
    } catch (const std::exception&) {
      // The connection broke: make it again, and look at the table then.
      reachable_ = false;
    }
  }
}

}  // namespace kyc::store::postgres
