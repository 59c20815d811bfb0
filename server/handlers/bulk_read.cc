#include "server/handlers/handlers.h"

namespace kyc::server {

HttpResponse stopping_problem() {
  return problem(503, "stopping", "Stopping", "the service is shutting down");
}

void BulkRead::submit(std::shared_ptr<Exchange> ex,
                      std::function<HttpResponse(store::DecisionLog& log)> read) const {
  bool queued = pool.try_submit([log = log, open_reader = open_reader, ex, read = std::move(read)] {
    if (!open_reader) return ex->respond(read(*log));
    auto reader = open_reader();
    if (!reader) return ex->respond(store_problem(reader.error()));
    ex->respond(read(**reader));
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
