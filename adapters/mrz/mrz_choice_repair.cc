#include "adapters/mrz/mrz_choice_repair.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include "adapters/mrz/mrz_check_digit.h"
#include "adapters/mrz/mrz_checks.h"
#include "adapters/mrz/mrz_layout.h"
#include "adapters/mrz/ocr_confusion.h"

namespace kyc::text {

namespace {

// Costs of a change, in nats of the OCR's own probabilities where it gave them.
constexpr double kTableLetterToDigit = 2.0;  // 'O' read for '0': the model's usual slip
constexpr double kMinChoiceCost = 0.05;
constexpr double kMaxChoiceCost = 6.0;
// The cheapest repair must beat the next by this much, or nothing is changed.
constexpr double kUniqueMargin = 0.5;
// One check digit is satisfied by a random change one time in ten, and there are dozens of
// changes to try: a repair must be one the evidence already leans to. One change may cost
// up to a table confusion; two changes only if the OCR itself was torn on each.
constexpr double kMaxSingleCost = 3.0;
constexpr double kMaxPairedCost = 0.7;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return c >= 'A' && c <= 'Z'; }

bool fits(CharClass chars, char c) {
  if (c == kMrzFiller) return true;
  switch (chars) {
    case CharClass::Alpha:
      return is_letter(c);
    case CharClass::Numeric:
      return is_digit(c);
    case CharClass::Alnum:
      return is_letter(c) || is_digit(c);
    case CharClass::Sex:
      return c == 'M' || c == 'F' || c == 'X';
  }
  return false;
}

const std::vector<MrzCharChoice>* choices_at(const MrzChoices& choices, int line, int column) {
  if (line >= static_cast<int>(choices.size())) return nullptr;
  if (column >= static_cast<int>(choices[line].size())) return nullptr;
  return choices[line][column].empty() ? nullptr : &choices[line][column];
}

const MrzLayout* layout_for(std::span<const std::string> lines) {
  auto detected = detect_format(lines);
  if (!detected) return nullptr;
  return &layout_of(*detected);
}

MrzRepair unchanged(std::span<const std::string> lines) {
  return {{lines.begin(), lines.end()}, {}};
}

struct Option {
  char character;
  double cost;
};

// What the character at a position could be instead, and at what cost.
std::vector<Option> options_at(char read, std::optional<CharClass> chars,
                               const std::vector<MrzCharChoice>* choices) {
  std::vector<Option> options;
  const auto allowed = [&](char c) { return c != read && (!chars || fits(*chars, c)); };
  double read_probability = 0;
  if (choices) {
    for (const MrzCharChoice& choice : *choices)
      if (choice.character == read)
        read_probability = std::max(read_probability, static_cast<double>(choice.probability));
    if (read_probability <= 0) read_probability = choices->front().probability;
    for (const MrzCharChoice& choice : *choices) {
      if (!allowed(choice.character) || choice.probability <= 0) continue;
      const double cost = std::log(std::max(1e-6, read_probability) / choice.probability);
      options.push_back({choice.character, std::clamp(cost, kMinChoiceCost, kMaxChoiceCost)});
    }
  }
  // The table alone never turns a digit into a letter: the model reads digits as letters,
  // rarely the reverse, so a digit it read is good evidence of a digit.
  for (char alternative : confusable_with(read)) {
    if (!allowed(alternative) || !is_digit(alternative)) continue;
    const bool seen = std::any_of(options.begin(), options.end(),
                                  [&](const Option& o) { return o.character == alternative; });
    if (!seen) options.push_back({alternative, kTableLetterToDigit});
  }
  return options;
}

struct Position {
  int line;
  int column;
  int weight;     // in the check sum; 0 for the check digit itself
  bool is_digit;  // the check digit position
  std::vector<Option> options;
};

struct Change {
  std::vector<MrzCorrection> picks;
  double cost;
};

// The cheapest unique set of changes that makes one check verify, or nothing.
std::optional<Change> cheapest_repair(const std::vector<std::string>& lines,
                                      const MrzCheckSpec& spec, const MrzClassGrid& grid,
                                      const MrzChoices& choices,
                                      const std::set<std::pair<int, int>>& frozen,
                                      int max_changes) {
  std::vector<Position> positions;
  int sum = 0;
  int index = 0;
  for (const MrzSpan& span : spec.input) {
    for (int column = span.start; column < span.start + span.length; ++column, ++index) {
      const char c = lines[span.line][column];
      const auto value = mrz_char_value(c);
      if (!value) return std::nullopt;
      const int weight = index % 3 == 0 ? 7 : index % 3 == 1 ? 3 : 1;
      sum += *value * weight;
      if (frozen.count({span.line, column})) continue;
      std::vector<Option> options =
          options_at(c, grid[span.line][column], choices_at(choices, span.line, column));
      if (!options.empty())
        positions.push_back({span.line, column, weight, false, std::move(options)});
    }
  }
  const char printed = lines[spec.digit.line][spec.digit.start];
  if (!frozen.count({spec.digit.line, spec.digit.start})) {
    std::vector<Option> options = options_at(
        printed, CharClass::Numeric, choices_at(choices, spec.digit.line, spec.digit.start));
    if (!options.empty())
      positions.push_back({spec.digit.line, spec.digit.start, 0, true, std::move(options)});
  }

  const auto verifies = [&](int total, char digit) {
    return is_digit(digit) && total % 10 == digit - '0';
  };
  const auto delta = [&](const Position& p, char to) {
    const char from = lines[p.line][p.column];
    return (*mrz_char_value(to) - *mrz_char_value(from)) * p.weight;
  };

  const auto pick = [&](const Position& p, char to) {
    return MrzCorrection{p.line, p.column, lines[p.line][p.column], to};
  };
  std::optional<Change> best, second;
  const auto consider = [&](Change change) {
    if (!best || change.cost < best->cost) {
      second = std::move(best);
      best = std::move(change);
    } else if (!second || change.cost < second->cost) {
      second = std::move(change);
    }
  };
  for (size_t i = 0; i < positions.size(); ++i) {
    for (const Option& a : positions[i].options) {
      const bool digit_i = positions[i].is_digit;
      const int total_i = sum + (digit_i ? 0 : delta(positions[i], a.character));
      const char digit_after_i = digit_i ? a.character : printed;
      if (a.cost <= kMaxSingleCost && verifies(total_i, digit_after_i))
        consider({{pick(positions[i], a.character)}, a.cost});
      if (max_changes < 2 || a.cost > kMaxPairedCost) continue;
      for (size_t j = i + 1; j < positions.size(); ++j) {
        for (const Option& b : positions[j].options) {
          if (b.cost > kMaxPairedCost) continue;
          const bool digit_j = positions[j].is_digit;
          const int total = total_i + (digit_j ? 0 : delta(positions[j], b.character));
          const char digit_after = digit_j ? b.character : digit_after_i;
          if (verifies(total, digit_after))
            consider({{pick(positions[i], a.character), pick(positions[j], b.character)},
                      a.cost + b.cost});
        }
      }
    }
  }
  if (!best) return std::nullopt;
  if (second && second->cost < best->cost + kUniqueMargin) return std::nullopt;
  return best;
}

void apply(std::vector<std::string>& lines, const Change& change, MrzRepair& repair) {
  for (const MrzCorrection& pick : change.picks) {
    lines[pick.line][pick.column] = pick.corrected;
    repair.corrections.push_back(pick);
  }
}

bool verified(std::span<const std::string> lines, const MrzLayout& layout, MrzCheck which) {
  for (const MrzCheckDigit& check : evaluate_checks(lines, layout))
    if (check.check == which) return check.verified;
  return true;
}

}  // namespace

MrzRepair prefer_choices_fitting_fields(std::span<const std::string> lines,
                                        const MrzChoices& choices) {
  const MrzLayout* layout = layout_for(lines);
  if (!layout) return unchanged(lines);
  MrzRepair repair = unchanged(lines);
  const MrzClassGrid grid = field_classes(lines, *layout);
  for (size_t line = 0; line < grid.size(); ++line) {
    for (size_t column = 0; column < grid[line].size(); ++column) {
      const auto chars = grid[line][column];
      char& c = repair.lines[line][column];
      if (!chars || fits(*chars, c)) continue;
      const auto* options = choices_at(choices, static_cast<int>(line), static_cast<int>(column));
      if (!options) continue;
      for (const MrzCharChoice& choice : *options) {
        if (choice.character == kMrzFiller || !fits(*chars, choice.character)) continue;
        repair.corrections.push_back(
            {static_cast<int>(line), static_cast<int>(column), c, choice.character});
        c = choice.character;
        break;
      }
    }
  }
  return repair;
}

MrzRepair search_check_digits(std::span<const std::string> lines, const MrzChoices& choices,
                              int max_changes) {
  const MrzLayout* layout = layout_for(lines);
  if (!layout) return unchanged(lines);
  MrzRepair repair = unchanged(lines);
  const MrzClassGrid grid = field_classes(lines, *layout);

  std::vector<MrzCheckSpec> specs = checks_for(repair.lines, *layout);
  // Characters a verified check vouches for are not to be touched by another's repair.
  std::set<std::pair<int, int>> frozen;
  const auto freeze = [&](const MrzCheckSpec& spec) {
    for (const MrzSpan& span : spec.input)
      for (int column = span.start; column < span.start + span.length; ++column)
        frozen.insert({span.line, column});
    frozen.insert({spec.digit.line, spec.digit.start});
  };
  for (const MrzCheckSpec& spec : specs)
    if (spec.check != MrzCheck::Composite && verified(repair.lines, *layout, spec.check))
      freeze(spec);
  for (const MrzCheckSpec& spec : specs) {
    if (spec.check == MrzCheck::Composite || verified(repair.lines, *layout, spec.check)) continue;
    if (auto change = cheapest_repair(repair.lines, spec, grid, choices, frozen, max_changes)) {
      apply(repair.lines, *change, repair);
      freeze(spec);
    }
  }
  for (const MrzCheckSpec& spec : checks_for(repair.lines, *layout)) {
    if (spec.check != MrzCheck::Composite || verified(repair.lines, *layout, spec.check)) continue;
    const bool others_verify = std::all_of(specs.begin(), specs.end(), [&](const MrzCheckSpec& s) {
      return s.check == MrzCheck::Composite || verified(repair.lines, *layout, s.check);
    });
    if (!others_verify) continue;
    if (auto change = cheapest_repair(repair.lines, spec, grid, choices, frozen, max_changes))
      apply(repair.lines, *change, repair);
  }
  std::sort(repair.corrections.begin(), repair.corrections.end(),
            [](const MrzCorrection& a, const MrzCorrection& b) {
              return a.line != b.line ? a.line < b.line : a.column < b.column;
            });
  return repair;
}

}  // namespace kyc::text
