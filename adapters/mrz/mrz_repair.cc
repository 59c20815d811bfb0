#include "adapters/mrz/mrz_repair.h"

#include <algorithm>
#include <optional>

#include "adapters/mrz/mrz_checks.h"
#include "adapters/mrz/ocr_confusion.h"

namespace kyc::text {

namespace {

char by_class(CharClass chars, char c) {
  switch (chars) {
    case CharClass::Alpha:
      return as_letter(c);
    case CharClass::Numeric:
      return as_digit(c);
    case CharClass::Alnum:
    case CharClass::Sex:
      return c;
  }
  return c;
}

bool verifies(std::span<const std::string> lines, const MrzLayout& layout, MrzCheck which) {
  for (const MrzCheckDigit& check : evaluate_checks(lines, layout))
    if (check.check == which) return check.verified;
  return true;  // the layout has no such check: nothing to disprove
}

void repair_by_class(MrzRepair& repair, const MrzClassGrid& grid) {
  for (size_t line = 0; line < grid.size(); ++line) {
    for (size_t column = 0; column < grid[line].size(); ++column) {
      if (!grid[line][column]) continue;
      char& c = repair.lines[line][column];
      const char corrected = by_class(*grid[line][column], c);
      if (corrected == c) continue;
      repair.corrections.push_back(
          {static_cast<int>(line), static_cast<int>(column), c, corrected});
      c = corrected;
    }
  }
}

// Single swaps at the letters-or-digits positions a failing check protects.
void repair_by_check(MrzRepair& repair, const MrzClassGrid& grid, const MrzLayout& layout,
                     MrzCheck which) {
  if (verifies(repair.lines, layout, which)) return;
  std::vector<MrzSpan> input;
  for (const MrzCheckSpec& spec : checks_for(repair.lines, layout))
    if (spec.check == which) input = spec.input;

  std::vector<MrzCorrection> candidates;
  for (const MrzSpan& span : input) {
    for (int column = span.start; column < span.start + span.length; ++column) {
      if (grid[span.line][column] != CharClass::Alnum) continue;
      char& c = repair.lines[span.line][column];
      const char original = c;
      for (char alternative : confusable_with(original)) {
        c = alternative;
        if (verifies(repair.lines, layout, which))
          candidates.push_back({span.line, column, original, alternative});
      }
      c = original;
    }
  }
  // One check digit alone is satisfied by a wrong swap one time in ten. Where the layout has
  // a composite check digit, it is a second witness: the swap must satisfy it too.
  std::erase_if(candidates, [&](const MrzCorrection& candidate) {
    std::vector<std::string> trial = repair.lines;
    trial[candidate.line][candidate.column] = candidate.corrected;
    return !verifies(trial, layout, MrzCheck::Composite);
  });
  if (candidates.size() != 1) return;  // none, or ambiguous: better unrepaired than wrong
  const MrzCorrection& chosen = candidates.front();
  repair.lines[chosen.line][chosen.column] = chosen.corrected;
  repair.corrections.push_back(chosen);
}

}  // namespace

boost::system::result<MrzRepair, MrzParseError> repair_mrz(std::span<const std::string> lines) {
  auto detected = detect_format(lines);
  if (!detected) return detected.error();
  const MrzLayout& layout = layout_of(*detected);

  MrzRepair repair{{lines.begin(), lines.end()}, {}};
  const MrzClassGrid grid = field_classes(lines, layout);
  repair_by_class(repair, grid);
  repair_by_check(repair, grid, layout, MrzCheck::DocumentNumber);
  repair_by_check(repair, grid, layout, MrzCheck::PersonalNumber);

  std::sort(repair.corrections.begin(), repair.corrections.end(),
            [](const MrzCorrection& a, const MrzCorrection& b) {
              return a.line != b.line ? a.line < b.line : a.column < b.column;
            });
  return repair;
}

MrzClassGrid field_classes(std::span<const std::string> lines, const MrzLayout& layout) {
  MrzClassGrid grid;
  for (const std::string& line : lines) grid.emplace_back(line.size());
  for (const MrzFieldSpec& field : layout.fields)
    for (int i = 0; i < field.span.length; ++i)
      grid[field.span.line][field.span.start + i] = field.chars;
  for (const MrzCheckSpec& check : layout.checks)
    grid[check.digit.line][check.digit.start] = CharClass::Numeric;
  return grid;
}

}  // namespace kyc::text
