#include "server/access_line.h"

#include "engine/json_text.h"

namespace kyc::server {

std::string access_line(const AccessEntry& e) {
  using engine::append_json_number;
  using engine::append_json_string;
  std::string out;
  out.reserve(256);
  auto field = [&out](const char* name) {
    out += out.empty() ? "{\"" : ",\"";
    out += name;
    out += "\":";
  };
  field("ts"), append_json_string(out, e.time);
  field("request_id"), append_json_string(out, e.request_id);
  field("method"), append_json_string(out, e.method);
  field("path"), append_json_string(out, e.path);
  field("status"), append_json_number(out, e.status);
  field("bytes"), append_json_number(out, e.bytes);
  field("us"), append_json_number(out, e.microseconds);
  if (!e.decision_id.empty()) field("decision_id"), append_json_string(out, e.decision_id);
  if (!e.outcome.empty()) field("outcome"), append_json_string(out, e.outcome);
  out += '}';
  return out;
}

}  // namespace kyc::server
