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

namespace {

// Terminal cells a character takes: two for the wide scripts (CJK, Hangul, fullwidth forms,
// most emoji), none for combining marks and zero-width characters, else one. Enough to put
// the caret under the character, not a full East Asian Width table.
int cells(char32_t c) {
  if ((c >= 0x0300 && c <= 0x036F) || (c >= 0x200B && c <= 0x200F) || c == 0xFEFF) return 0;
  if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
      (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
      (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
      (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1FAFF) ||
      (c >= 0x20000 && c <= 0x3FFFD))
    return 2;
  return 1;
}

bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::string format_diagnostic(const SourceFile& file, const Diagnostic& d) {
  std::string out = common::repaired_utf8(
      file.name() + ":" + std::to_string(d.location.line) + ":" +
      std::to_string(d.location.column) + ": " +
      (d.severity == Severity::Error ? "error: " : "warning: ") + d.message + "\n");
  if (file.text().empty()) return out;  // a file that could not be read: no line to show
  std::string_view line = file.line_text(d.location.line);
  // A window of the line around the column, marked where it was cut, cut between characters.
  size_t at = std::min(file.column_byte(d.location), line.size());
  size_t from = at > kShownLine / 2 ? at - kShownLine / 2 : 0;
  while (from < at && continuation(line[from])) ++from;
  size_t to = std::min(line.size(), from + kShownLine);
  while (to > at && to < line.size() && continuation(line[to])) --to;
  std::string_view shown = line.substr(from, to - from);
  std::string before = from > 0 ? "..." : "";
  out += "  " + before + common::repaired_utf8(shown);
  if (to < line.size()) out += "...";
  out += "\n  " + std::string(before.size(), ' ');
  // Keep tabs so the caret lines up under the same column in a terminal; a wide character
  // takes two cells.
  for (size_t i = 0; i < at - from;) {
    if (shown[i] == '\t') {
      out += '\t';
      ++i;
      continue;
    }
    char32_t c = common::next_code_point(shown, i);
    out.append(static_cast<size_t>(cells(c)), ' ');
  }
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
