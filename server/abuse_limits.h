// The abuse limits of one running service, as the route table applies them to a request:
// the client address's rate and its bad-token pause before the token is looked at, then the
// token's own rate (server/api.cc). A refused request gets 429 with Retry-After (whole seconds, at
// least 1) and an RFC 9457 problem; each refusal is counted in /metrics by cause. The tables are in
// rate_limits.h; the numbers in Limits (serve_options.h).
#pragma once

#include <optional>
#include <string_view>

#include "server/http/http_types.h"
#include "server/metrics.h"
#include "server/rate_limits.h"
#include "server/serve_options.h"

namespace kyc::server {

class AbuseLimits {
 public:
  AbuseLimits(const Limits& limits, Metrics& metrics, SteadyClock clock = {});

  // Before the token is read: the address's rate (every request but the probes). An empty
  // address (a request that did not come from the network) is never limited.
  std::optional<HttpResponse> over_address_rate(std::string_view address);
  // Still before the token is read, for a route that needs one: the address's bad-token pause.
  // It must come first: a pause that let a right token through would still tell a guesser
  // which guess was right.
  std::optional<HttpResponse> paused_for_bad_tokens(std::string_view address);
  // The address presented a token that is not in the tokens file.
  void unknown_token(std::string_view address);
  // A known token (by its key, TokenStore::Caller::key) spends one request of its rate.
  std::optional<HttpResponse> over_token_rate(std::string_view token_key);

 private:
  Metrics& metrics_;
  Rate token_rate_, address_rate_;
  TokenBuckets per_token_;
  TokenBuckets per_address_;
  BadTokenPauses bad_tokens_;
};

}  // namespace kyc::server
