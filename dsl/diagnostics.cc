#include "dsl/diagnostics.h"

#include <algorithm>

namespace kyc::dsl {

bool Diagnostics::has_errors() const { return error_count() > 0; }

size_t Diagnostics::error_count() const {
  return static_cast<size_t>(std::count_if(items_.begin(), items_.end(), [](const Diagnostic& d) {
    return d.severity == Severity::Error;
  }));
}

void Diagnostics::sort() {
  std::stable_sort(items_.begin(), items_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.location.line != b.location.line) return a.location.line < b.location.line;
    return a.location.column < b.location.column;
  });
}

std::string format_diagnostic(const SourceFile& file, const Diagnostic& d) {
  std::string out = file.name() + ":" + std::to_string(d.location.line) + ":" +
                    std::to_string(d.location.column) + ": " +
                    (d.severity == Severity::Error ? "error: " : "warning: ") + d.message + "\n";
  std::string_view line = file.line_text(d.location.line);
  out += "  ";
  out += line;
  out += "\n  ";
  // Keep tabs so the caret lines up under the same column in a terminal.
  for (uint32_t c = 1; c < d.location.column && c - 1 < line.size(); ++c)
    out += line[c - 1] == '\t' ? '\t' : ' ';
  out += "^\n";
  return out;
}

std::string format_all(const SourceFile& file, const Diagnostics& diags) {
  std::string out;
  for (const auto& d : diags.items()) out += format_diagnostic(file, d);
  return out;
}

}  // namespace kyc::dsl
