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
  // Past this many, problems are counted, not kept: a test file naming an unknown fact in
  // 2,000 givens of 2,000 cases made 4 million of them (3 GB), and nobody reads that far.
  static constexpr size_t kKept = 1000;

  void error(Location at, std::string message) {
    add({Severity::Error, at, std::move(message)});
  }
  void warning(Location at, std::string message) {
    add({Severity::Warning, at, std::move(message)});
  }
  bool has_errors() const;
  size_t error_count() const;  // the kept ones and those counted past kKept
  const std::vector<Diagnostic>& items() const { return items_; }
  size_t not_kept() const { return not_kept_; }
  // Sorted by position so that a file's problems read top to bottom.
  void sort();

 private:
  void add(Diagnostic d);

  std::vector<Diagnostic> items_;
  size_t not_kept_ = 0, errors_not_kept_ = 0;
};

// The source line is shown around the column (at most kShownLine bytes of it: a one-line
// policy of 33 KB with 3,000 errors once answered 167 MB), as UTF-8 whatever the file held.
inline constexpr size_t kShownLine = 160;
std::string format_diagnostic(const SourceFile& file, const Diagnostic& d);
// Every kept diagnostic, then how many more were counted, if any.
std::string format_all(const SourceFile& file, const Diagnostics& diags);

}  // namespace kyc::dsl
