// Problems found in user text are values, not exceptions: each has a severity, a position
// and a sentence, and prints as `FILE:LINE:COL: error: message` + source line + caret.
#pragma once

#include <string>
#include <vector>

#include "dsl/source.h"

namespace kyc::dsl {

enum class Severity { Error, Warning };

struct Diagnostic {
  Severity severity = Severity::Error;
  Location location;
  std::string message;
};

class Diagnostics {
 public:
  void error(Location at, std::string message) {
    items_.push_back({Severity::Error, at, std::move(message)});
  }
  void warning(Location at, std::string message) {
    items_.push_back({Severity::Warning, at, std::move(message)});
  }
  bool has_errors() const;
  size_t error_count() const;
  const std::vector<Diagnostic>& items() const { return items_; }
  // Sorted by position so that a file's problems read top to bottom.
  void sort();

 private:
  std::vector<Diagnostic> items_;
};

std::string format_diagnostic(const SourceFile& file, const Diagnostic& d);
std::string format_all(const SourceFile& file, const Diagnostics& diags);

}  // namespace kyc::dsl
