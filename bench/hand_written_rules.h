// The ten reasons of shared/bench-peers/bench.policy written by hand in C++: the practical
// upper limit for an engine, to show what the interpretation costs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kyc::bench {

struct Submission {
  std::string format;
  int64_t bytes = 0;
  double blur = 0, glare = 0, brightness = 0, screen = 0, copy = 0;
  bool cut_off = false;
  std::string type, name, number;
  int32_t expiry = 0;  // days since 1970-01-01, like the engine's dates
  double confidence = 0;
  bool name_visible = false, number_visible = false;
  int64_t document_accounts = 0;
  std::string primary_name, primary_number;
  int32_t today = 0;
};

// Parses one JSON line of shared/bench-peers/facts.mjs.
Submission parse_submission(std::string_view json_line);
// Number of the ten reasons that fire (as `fired` in peers.mjs).
int fired_reasons(const Submission& s);

}  // namespace kyc::bench
