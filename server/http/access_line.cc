#include "server/http/access_line.h"

#include "server/http/log_line.h"

namespace kyc::server {

std::string access_line(const AccessEntry& e) {
  LogLine line;
  line.add("ts", e.time)
      .add("request_id", e.request_id)
      .add("method", e.method)
      .add("path", e.path)
      .add("status", e.status)
      .add("bytes", e.bytes)
      .add("us", e.microseconds);
  if (!e.decision_id.empty()) line.add("decision_id", e.decision_id);
  if (!e.outcome.empty()) line.add("outcome", e.outcome);
  if (!e.client_name.empty()) line.add("client_cn", e.client_name);
  if (e.stages && !e.stages->empty()) line.add("stages_ms", *e.stages);
  if (e.cut_short) line.add("cut_short", true);
  return line.str();
}

}  // namespace kyc::server
