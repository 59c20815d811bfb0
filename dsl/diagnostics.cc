#include "dsl/diagnostics.h"

#include <algorithm>

#include "common/utf8.h"

namespace kyc::dsl {

bool Diagnostics::has_errors() const { return error_count() > 0; }

void Diagnostics::add(Diagnostic d) {
  if (items_.size() < kKept) return items_.push_back(std::move(d));
  ++not_kept_;
  if (d.severity == Severity::Error) ++errors_not_kept_;
}

size_t Diagnostics::error_count() const {
  return errors_not_kept_ +
         static_cast<size_t>(std::count_if(items_.begin(), items_.end(), [](const Diagnostic& d) {
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
  std::string out = common::repaired_utf8(
      file.name() + ":" + std::to_string(d.location.line) + ":" +
      std::to_string(d.location.column) + ": " +
      (d.severity == Severity::Error ? "error: " : "warning: ") + d.message + "\n");
  std::string_view line = file.line_text(d.location.line);
  // A window of the line around the column, marked where it was cut.
  size_t column = d.location.column > 0 ? d.location.column - 1 : 0;
  size_t from = column > kShownLine / 2 ? column - kShownLine / 2 : 0;
  std::string_view shown = line.substr(std::min(from, line.size()), kShownLine);
  std::string before = from > 0 ? "..." : "";
  out += "  " + before + common::repaired_utf8(shown);
  if (from + shown.size() < line.size()) out += "...";
  out += "\n  " + std::string(before.size(), ' ');
  // Keep tabs so the caret lines up under the same column in a terminal.
  for (size_t c = from; c < column && c - from < shown.size(); ++c)
    out += shown[c - from] == '\t' ? '\t' : ' ';
  out += "^\n";
  return out;
}

std::string format_all(const SourceFile& file, const Diagnostics& diags) {
  std::string out;
  for (const auto& d : diags.items()) out += format_diagnostic(file, d);
  if (diags.not_kept() > 0)
    out += file.name() + ": " + std::to_string(diags.not_kept()) + " more problems not shown\n";
  return out;
}

}  // namespace kyc::dsl
