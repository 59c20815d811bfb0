#include "adapters/mrz_reader/mrz_lookalikes.h"

#include <map>
#include <optional>

#include "adapters/mrz/mrz_check_digit.h"
#include "adapters/mrz/mrz_choice_repair.h"
#include "adapters/mrz/mrz_layout.h"
#include "adapters/mrz/ocr_confusion.h"
#include "adapters/mrz_reader/mrz_glyph_grid.h"

namespace kyc::text {

namespace {

constexpr char kUnread = '?';  // a glyph the OCR skipped (mrz_line_readings.cc)
// A glyph with no sample of its own reading in the document changes only to a character
// whose samples it clearly resembles; with samples of both, the likelier one wins by this.
constexpr double kResemblance = 0.8;
constexpr double kMargin = 0.02;
constexpr double kDigitMargin = 0.08;
constexpr double kUnknownMargin = 0.05;
// A glyph the OCR could not read is read by the samples only if it resembles one this much.
constexpr double kReadable = 0.6;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool certain_by_field(CharClass chars, char c) {
  const bool letter = c >= 'A' && c <= 'Z';
  const bool digit = c >= '0' && c <= '9';
  return (chars == CharClass::Numeric && digit) || (chars == CharClass::Alpha && letter);
}

const cv::Mat* window_at(const MrzGlyphWindows& windows, size_t line, size_t column) {
  if (line >= windows.size() || column >= windows[line].size()) return nullptr;
  return windows[line][column].empty() ? nullptr : &windows[line][column];
}

const MrzLayout* layout_for(std::span<const std::string> lines) {
  auto detected = detect_format(lines);
  if (!detected) return nullptr;
  return &layout_of(*detected);
}

// The document's own glyphs, averaged per character, where the field type says what they are.
std::map<char, cv::Mat> samples_by_field(std::span<const std::string> lines,
                                         const MrzClassGrid& grid, const MrzGlyphWindows& windows) {
  std::map<char, std::pair<cv::Mat, int>> sums;
  for (size_t line = 0; line < lines.size(); ++line) {
    for (size_t column = 0; column < lines[line].size(); ++column) {
      const char c = lines[line][column];
      const cv::Mat* window = window_at(windows, line, column);
      if (!window || !grid[line][column] || !certain_by_field(*grid[line][column], c)) continue;
      auto& [sum, count] = sums[c];
      if (count++ == 0)
        sum = window->clone();
      else
        sum += *window;
    }
  }
  std::map<char, cv::Mat> samples;
  for (auto& [c, entry] : sums) samples[c] = entry.first / entry.second;
  return samples;
}

}  // namespace

MrzRepair read_misfits_by_samples(std::span<const std::string> lines,
                                  const MrzGlyphWindows& windows) {
  MrzRepair repair{{lines.begin(), lines.end()}, {}};
  const MrzLayout* layout = layout_for(lines);
  if (!layout) return repair;
  const MrzClassGrid grid = field_classes(lines, *layout);
  const std::map<char, cv::Mat> samples = samples_by_field(lines, grid, windows);
  for (size_t line = 0; line < lines.size(); ++line) {
    for (size_t column = 0; column < lines[line].size(); ++column) {
      const auto chars = grid[line][column];
      char& c = repair.lines[line][column];
      if (!chars || *chars == CharClass::Sex) continue;
      if (*chars == CharClass::Alnum && c != kUnread) continue;
      const bool misfit = c != kMrzFiller && !certain_by_field(*chars, c);
      // A check digit or date the OCR saw nothing in is a glyph it skipped, not a filler; so
      // is the first character, a document code's letter.
      const bool skipped =
          c == kMrzFiller && (*chars == CharClass::Numeric || (line == 0 && column == 0));
      const cv::Mat* window = window_at(windows, line, column);
      if ((!misfit && !skipped) || !window) continue;
      char best = 0;
      double best_score = -1, second_score = -1;
      for (const auto& [candidate, sample] : samples) {
        if (*chars != CharClass::Alnum && !certain_by_field(*chars, candidate)) continue;
        const double score = glyph_similarity(*window, sample);
        if (score > best_score) {
          second_score = best_score;
          best_score = score;
          best = candidate;
        } else if (score > second_score) {
          second_score = score;
        }
      }
      if (!best || best_score < kReadable || best_score < second_score + kMargin) continue;
      repair.corrections.push_back({static_cast<int>(line), static_cast<int>(column), c, best});
      c = best;
    }
  }
  return repair;
}

MrzRepair resolve_lookalikes(std::span<const std::string> lines, const MrzGlyphWindows& windows) {
  MrzRepair repair{{lines.begin(), lines.end()}, {}};
  const MrzLayout* layout = layout_for(lines);
  if (!layout) return repair;
  const MrzClassGrid grid = field_classes(lines, *layout);
  const std::map<char, cv::Mat> samples = samples_by_field(lines, grid, windows);

  for (size_t line = 0; line < lines.size(); ++line) {
    for (size_t column = 0; column < lines[line].size(); ++column) {
      if (grid[line][column] != CharClass::Alnum) continue;
      char& c = repair.lines[line][column];
      const cv::Mat* window = window_at(windows, line, column);
      if (!window || c == kMrzFiller) continue;
      const auto own = samples.find(c);
      const double own_score =
          own == samples.end() ? kResemblance - kMargin : glyph_similarity(*window, own->second);
      char best = c;
      double best_score = -1;
      for (const auto& [alternative, sample] : samples) {
        // A digit read is only ever a look-alike letter; a letter read may be any digit.
        const bool plausible =
            is_digit(c) ? confusable_with(c).find(alternative) != std::string_view::npos
                        : is_digit(alternative) ||
                              confusable_with(c).find(alternative) != std::string_view::npos;
        if (alternative == c || !plausible) continue;
        // The model reads digits as letters, rarely the reverse: a digit it read takes
        // clearer evidence to overturn; so does a change the confusion table does not know.
        const bool known = confusable_with(c).find(alternative) != std::string_view::npos;
        const double margin = is_digit(c) ? kDigitMargin : known ? kMargin : kUnknownMargin;
        const double score = glyph_similarity(*window, sample);
        if (score > own_score + margin && score > best_score) {
          best = alternative;
          best_score = score;
        }
      }
      if (best == c) continue;
      repair.corrections.push_back({static_cast<int>(line), static_cast<int>(column), c, best});
      c = best;
    }
  }
  return repair;
}

}  // namespace kyc::text
