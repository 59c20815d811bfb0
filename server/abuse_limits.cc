#include "server/abuse_limits.h"

#include <cstdio>
#include <string>

namespace kyc::server {

namespace {

std::string per_second(const Rate& rate) {
  char text[64];
  std::snprintf(text, sizeof text, "%g requests/s (bursts of %g)", rate.per_second, rate.burst);
  return text;
}

HttpResponse too_many(const std::string& slug, const std::string& title, std::string detail,
                      std::chrono::seconds wait) {
  std::string seconds = std::to_string(wait.count());
  HttpResponse r = problem(429, slug, title, detail + "; retry after " + seconds + " s",
                           {{"retry_after", wait.count()}});
  r.headers.emplace_back("Retry-After", seconds);
  return r;
}

}  // namespace

AbuseLimits::AbuseLimits(const Limits& limits, Metrics& metrics, SteadyClock clock)
    : metrics_(metrics),
      token_rate_{limits.token_rate, limits.token_burst},
      address_rate_{limits.address_rate, limits.address_burst},
      per_token_(token_rate_, limits.rate_limit_entries, clock),
      per_address_(address_rate_, limits.rate_limit_entries, clock),
      bad_tokens_(BadTokenSettings{limits.bad_token_limit, limits.bad_token_window,
                                   std::chrono::milliseconds(1000), limits.bad_token_max_pause},
                  limits.rate_limit_entries, clock) {}

std::optional<HttpResponse> AbuseLimits::over_address_rate(std::string_view address) {
  if (address.empty()) return std::nullopt;
  auto wait = per_address_.take(address);
  if (wait.count() == 0) return std::nullopt;
  metrics_.throttled(Metrics::Throttle::kAddress);
  return too_many("rate-limited", "Too many requests",
                  "this client address is over its rate of " + per_second(address_rate_), wait);
}

std::optional<HttpResponse> AbuseLimits::paused_for_bad_tokens(std::string_view address) {
  if (address.empty()) return std::nullopt;
  auto wait = bad_tokens_.paused(address);
  if (wait.count() == 0) return std::nullopt;
  metrics_.throttled(Metrics::Throttle::kBadTokens);
  return too_many("bad-tokens", "Too many unknown tokens",
                  "this client address sent too many unknown tokens and is paused", wait);
}

void AbuseLimits::unknown_token(std::string_view address) {
  if (!address.empty()) bad_tokens_.failed(address);
}

std::optional<HttpResponse> AbuseLimits::over_token_rate(std::string_view token_key) {
  auto wait = per_token_.take(token_key);
  if (wait.count() == 0) return std::nullopt;
  metrics_.throttled(Metrics::Throttle::kToken);
  return too_many("rate-limited", "Too many requests",
                  "this token is over its rate of " + per_second(token_rate_), wait);
}

}  // namespace kyc::server
