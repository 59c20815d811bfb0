#include <memory>
#include <string>

#include "server/handlers/handlers.h"
#include "server/http/client_presence.h"

namespace kyc::server {

bool BulkStop::operator()() const {
  if (stopping_.load(std::memory_order_relaxed)) return true;
  if (client_left_) return true;
  // A replay reads about 100,000 records a second: a poll(2) on each would add a tenth.
  auto now = std::chrono::steady_clock::now();
  if (now - looked_ < std::chrono::milliseconds(20)) return false;
  looked_ = now;
  client_left_ = client_has_left(client_socket_);
  return client_left_;
}

HttpResponse BulkStop::answer() const {
  if (stopping_.load(std::memory_order_relaxed))
    return problem(503, "stopping", "Stopping", "the service is shutting down");
  return problem(499, "client-closed", "Client closed the request",
                 "the client closed its connection before the answer was ready; the read was "
                 "stopped");
}

void BulkRead::submit(
    std::shared_ptr<Exchange> ex,
    std::function<HttpResponse(store::DecisionLog& log, const BulkStop& stop)> read) const {
  bool queued = pool.try_submit(
      [log = log, open_reader = open_reader, &cancel = cancel, ex, read = std::move(read)] {
        // Asked before the wait for a read handle and again, afresh, once it is open.
        if (BulkStop queued(cancel, ex->client_socket); queued())
          return ex->respond(queued.answer());
        std::unique_ptr<store::DecisionLog> reader;
        if (open_reader) {
          auto opened = open_reader();
          if (!opened) return ex->respond(store_problem(opened.error()));
          reader = std::move(*opened);
        }
        BulkStop stop(cancel, ex->client_socket);
        HttpResponse answer = read(reader ? *reader : *log, stop);
        auto body = answer.stream;
        ex->respond(std::move(answer));
        if (body) body->make();  // with the same read handle and `stop`, which live until it ends
      });
  if (!queued) {
    HttpResponse busy = problem(503, "busy", "Busy",
                                "a replay or an export is reading the log and another is waiting; "
                                "retry when they end");
    busy.headers.emplace_back("Retry-After", "5");
    ex->respond(std::move(busy));
  }
}

}  // namespace kyc::server
