// The access log's line for one request: JSON, written straight into a string (it runs for
// every request). It never holds fact values or the query string, where tokens may sit.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kyc::server {

struct AccessEntry {
  std::string_view time;  // RFC 3339, when the answer was sent
  std::string_view request_id, method, path;
  int status = 0;
  uint64_t bytes = 0;                     // of the response body
  int64_t microseconds = 0;               // from the request's first byte to the answer
  std::string_view decision_id, outcome;  // empty when no decision was made
  // An upload's stages (stage, milliseconds); null or empty for other requests.
  const std::vector<std::pair<std::string, double>>* stages = nullptr;
  std::string_view client_name = {};  // mTLS: the client certificate's common name
  bool cut_short = false;  // a body made while sent (BodyStream) that did not reach its end
};

std::string access_line(const AccessEntry& e);

}  // namespace kyc::server
