// Requests and responses as the handlers see them: plain values, no Beast types, so that the
// API can be tested without sockets and Beast stays inside server/http/.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/assert/source_location.hpp>
#include <boost/json/object.hpp>
#include <boost/system/result.hpp>

#include "server/http/body_stream.h"
#include "server/http/request_target.h"

namespace kyc::server {

struct HttpRequest {
  std::string method;
  std::string target;               // path and query, as sent
  std::vector<std::string> params;  // values of the route's {placeholders}, in order
  std::string content_type;
  std::string authorization;
  std::string body;
  RequestTarget uri;            // the target decoded (filled by Api::handle from the transport's parse)
  std::string idempotency_key;  // the Idempotency-Key header, "" when none
  // Who sent it, as the abuse limits key it (IPv4 address, IPv6 /64); "" when it did not come
  // from the network (tests, benchmarks in process): no per-address limit applies.
  std::string client_address;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Set instead of `body` for one made while it is sent: the thread that answered makes it
  // once the answer has been handed over (BulkRead::submit).
  std::shared_ptr<BodyStream> stream;
};

// What the access log records about a request beyond method, path, status and size.
struct RequestNotes {
  std::string route;  // route name for metrics, e.g. "POST /v1/evaluate"
  std::string decision_id;
  std::string outcome;
  // Where an upload's time went, in milliseconds: waiting for an image worker, each side's
  // image analysis, the text (the access log and /metrics report them).
  std::vector<std::pair<std::string, double>> stages;
};

// One request and the way to answer it. Handlers call respond() exactly once, from any
// thread: at once, or later (after the audit log committed the decision).
struct Exchange {
  HttpRequest request;
  RequestNotes notes;
  uint8_t caller = 0;       // Roles of the token
  std::string caller_name;  // the token's name in the tokens file (audit records name it)
  bool no_store = false;    // the route's answers hold personal data (Route::personal)
  // The client's connection while this exchange is open (the session keeps it open until the
  // answer is sent), or -1 (tests, in-process callers): long work asks client_has_left() of it
  // and stops for a client that is no longer there.
  int client_socket = -1;
  std::function<void(HttpResponse, const RequestNotes&)> reply;
  void respond(HttpResponse response) {
    if (no_store) response.headers.emplace_back("Cache-Control", "no-store");
    reply(std::move(response), notes);
  }
};

// RFC 9457 problem details with a stable `type`; `extra` members (an error list, a byte
// offset) are written beside the standard ones.
HttpResponse problem(int status, const std::string& slug, const std::string& title,
                     const std::string& detail, boost::json::object extra = {});

// A value a handler needs, or the answer to give instead (the project's one result type, with
// the response as its error).
template <class T>
using OrAnswer = boost::system::result<T, HttpResponse>;
[[noreturn]] void throw_exception_from_error(const HttpResponse& answer,
                                             const boost::source_location& where);

}  // namespace kyc::server
