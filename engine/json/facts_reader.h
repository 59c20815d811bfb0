// Facts from JSON: nested objects and dotted keys ("document.expiry") both name a fact; null
// means missing. Type errors name the path and the expected type; keys the policy does not
// declare are reported back, or rejected under `strict`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "engine/fact_frame.h"

namespace kyc::engine {

struct FactsOptions {
  bool strict = false;    // unknown keys are errors instead of `ignored_facts`
  size_t max_depth = 32;  // JSON nesting accepted by parse_facts
  size_t max_text_bytes = 1 << 20;
  // Names the caller may not set (see service_owned): read as if not sent, and listed in
  // `ignored`, so the caller sees they were not taken.
  bool (*withheld)(std::string_view name) = nullptr;
};

struct FactError {
  std::string path;  // dotted fact path, or "" for the document itself
  std::string message;
  size_t offset = 0;  // byte offset in the text, for JSON syntax errors
};

struct FactsResult {
  std::vector<FactError> errors;
  std::vector<std::string> ignored;
  bool ok() const { return errors.empty(); }
};

// Reads a JSON value (an object) into `frame`, overwriting the slots it names.
FactsResult read_facts(const boost::json::value& json, FactFrame& frame,
                       const FactsOptions& options = {});
// The same for an object: without this overload an object would be copied into a value.
FactsResult read_facts(const boost::json::object& json, FactFrame& frame,
                       const FactsOptions& options = {});
// Parses JSON text first; a syntax error is reported with its byte offset.
FactsResult parse_facts(std::string_view text, FactFrame& frame, const FactsOptions& options = {});

}  // namespace kyc::engine
