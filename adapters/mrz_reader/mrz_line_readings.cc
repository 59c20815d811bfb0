#include "adapters/mrz_reader/mrz_line_readings.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "adapters/mrz/mrz_choice_repair.h"
#include "adapters/mrz/mrz_line_fit.h"
#include "adapters/mrz/mrz_repair.h"
#include "adapters/mrz_reader/mrz_lookalikes.h"

namespace kyc::text {

namespace {

// How alike a glyph and this document's sure fillers must be for the glyph to be a filler.
constexpr double kFillerSimilarity = 0.75;
constexpr double kFillerMargin = 0.05;
// Marks a cell holding a glyph the OCR skipped, until the document's samples read it.
constexpr char kUnread = '?';

// A line brought to a format's length, with the OCR's other readings of each character.
struct FittedLine {
  std::string text;
  std::vector<std::vector<MrzCharChoice>> choices;  // per column; empty where unknown
  std::vector<cv::Mat> windows;                     // per column: the glyph's cell, if measured
  // Per column: the glyph looks like this document's fillers although the OCR read another
  // character there. Applied once the layout says a filler may stand there.
  std::vector<char> filler_like;
};

// Fillers pad names, numbers and optional data, never a date or a check digit, and an MRZ
// never starts with one (the document code begins with a letter): a glyph there that looks
// like a filler is a character the OCR misread, and keeps its choices. False when the lines
// are no MRZ layout.
bool apply_filler_likeness(const std::vector<const FittedLine*>& fitted,
                           std::vector<std::string>& read, MrzChoices& choices) {
  auto format = detect_format(read);
  if (!format) return false;
  const MrzClassGrid classes = field_classes(read, layout_of(*format));
  for (size_t line = 0; line < read.size(); ++line) {
    const std::vector<char>& filler_like = fitted[line]->filler_like;
    for (size_t column = 0; column < filler_like.size(); ++column) {
      if (!filler_like[column] || classes[line][column] == CharClass::Numeric) continue;
      if (line == 0 && column == 0) continue;
      read[line][column] = '<';
      choices[line][column].clear();
    }
  }
  return true;
}

// Repairs in order of certainty: the OCR's own runners-up where the field type rules out
// what it read, then the document's own glyphs for what is still out of place, then the
// fixed confusion table, then look-alikes in mixed fields by the document's glyphs, then
// whatever makes failing check digits verify at the least cost.
std::optional<MrzCandidate> evaluate(const std::vector<const FittedLine*>& fitted,
                                     double confidence, int misfit) {
  std::vector<std::string> read;
  MrzChoices choices;
  std::vector<std::vector<cv::Mat>> windows;
  for (const FittedLine* line : fitted) {
    read.push_back(line->text);
    choices.push_back(line->choices);
    windows.push_back(line->windows);
  }
  if (!apply_filler_likeness(fitted, read, choices)) return std::nullopt;
  const MrzRepair by_choice = prefer_choices_fitting_fields(read, choices);
  MrzRepair by_samples = read_misfits_by_samples(by_choice.lines, windows);
  // What even the samples could not read is taken for a filler, as the OCR took it.
  for (std::string& line : by_samples.lines) std::replace(line.begin(), line.end(), kUnread, '<');
  auto by_table = repair_mrz(by_samples.lines);
  if (!by_table) return std::nullopt;
  const MrzRepair by_glyph = resolve_lookalikes(by_table->lines, windows);
  MrzRepair by_check = search_check_digits(by_glyph.lines, choices);
  auto parsed = parse_mrz(by_check.lines);
  if (!parsed) return std::nullopt;
  int lines_on_cells = 0;
  for (const FittedLine* line : fitted) lines_on_cells += line->windows.empty() ? 0 : 1;
  int changed = 0;
  for (size_t line = 0; line < read.size(); ++line)
    for (size_t column = 0; column < read[line].size(); ++column)
      changed += read[line][column] != by_check.lines[line][column] ? 1 : 0;
  const int guessed = static_cast<int>(by_check.corrections.size());
  return MrzCandidate{std::move(read),
                      std::move(by_check.lines),
                      std::move(*parsed),
                      confidence,
                      misfit,
                      lines_on_cells,
                      changed,
                      guessed};
}

// What the glyphs the OCR was sure of look like in this document, per character, for cells
// split `length` to a line.
using GlyphTemplates = std::map<char, cv::Mat>;

constexpr float kSureConfidence = 0.85f;

// Where a character the OCR read sits along the line. The model stretches the box of the
// first and last character of a line toward the image's edge, so a box wider than a cell is
// taken from its inner side.
double symbol_centre(const std::vector<OcrSymbol>& symbols, size_t j, double pitch) {
  const OcrSymbol& symbol = symbols[j];
  const double width = symbol.right - symbol.left;
  if (width > pitch && j + 1 == symbols.size()) return symbol.left + 0.5 * pitch;
  if (width > pitch && j == 0) return symbol.right - 0.5 * pitch;
  return 0.5 * (symbol.left + symbol.right);
}

int cell_of(const GlyphLine& glyphs, int length, const std::vector<OcrSymbol>& symbols, size_t j) {
  const double pitch = (glyphs.last_centre - glyphs.first_centre) / (length - 1);
  return static_cast<int>(
      std::lround((symbol_centre(symbols, j, pitch) - glyphs.first_centre) / pitch));
}

GlyphTemplates learn_templates(const PassRead& pass, int length) {
  std::map<char, std::pair<cv::Mat, int>> sums;
  for (const LineRead& line : pass.lines) {
    if (!line.glyphs) continue;
    for (size_t j = 0; j < line.symbols.size(); ++j) {
      const OcrSymbol& symbol = line.symbols[j];
      if (symbol.confidence < kSureConfidence) continue;
      const int cell = cell_of(*line.glyphs, length, line.symbols, j);
      if (cell < 0 || cell >= length) continue;
      const cv::Mat window = cell_window(*line.glyphs, length, cell);
      auto& [sum, count] = sums[symbol.character];
      if (count == 0)
        sum = window.clone();
      else
        sum += window;
      ++count;
    }
  }
  GlyphTemplates templates;
  for (auto& [character, entry] : sums)
    if (entry.second >= 2) templates[character] = entry.first / entry.second;
  return templates;
}

// The line as `length` cells. The OCR's characters are laid on the cells in order, each on at
// most one cell and each cell under at most one character, as near as their positions allow
// (an alignment by dynamic programming): the model sometimes emits one glyph twice, or skips
// one, and rounding each position to its nearest cell would then shift or swallow characters.
// A cell no character lands on is a filler (what OCR skips is nearly always a run of '<').
// Then a character whose glyph looks more like this document's sure fillers than like its own
// sure samples is marked as a filler: the OCR model reads OCR-B's '<' as K, C, E or S now
// and then.
FittedLine fit_to_cells(const LineRead& read, int length, const GlyphTemplates& templates) {
  const GlyphLine& glyphs = *read.glyphs;
  FittedLine out{std::string(length, '<'), std::vector<std::vector<MrzCharChoice>>(length),
                 std::vector<cv::Mat>(length), std::vector<char>(length, 0)};
  for (int cell = 0; cell < length; ++cell) out.windows[cell] = cell_window(glyphs, length, cell);

  const std::vector<OcrSymbol>& symbols = read.symbols;
  const size_t n = symbols.size();
  const double pitch = (glyphs.last_centre - glyphs.first_centre) / (length - 1);
  constexpr double kEmptyCell = 0.5;      // a glyph the OCR skipped
  constexpr double kFarPlacement = 0.75;  // in pitches: farther, a character is not that cell's
  const auto dropped = [&](size_t j) { return 0.3 + 0.5 * symbols[j].confidence; };
  // cost[i][j]: the first i cells and the first j characters laid out.
  std::vector<std::vector<double>> cost(length + 1, std::vector<double>(n + 1, 1e18));
  std::vector<std::vector<char>> step(length + 1, std::vector<char>(n + 1, 0));
  cost[0][0] = 0;
  for (int i = 0; i <= length; ++i) {
    for (size_t j = 0; j <= n; ++j) {
      const double here = cost[i][j];
      if (here >= 1e17) continue;
      if (i < length && here + kEmptyCell < cost[i + 1][j]) {
        cost[i + 1][j] = here + kEmptyCell;
        step[i + 1][j] = 'c';
      }
      if (j < n && here + dropped(j) < cost[i][j + 1]) {
        cost[i][j + 1] = here + dropped(j);
        step[i][j + 1] = 's';
      }
      if (i < length && j < n) {
        const double centre = symbol_centre(symbols, j, pitch);
        const double distance = std::abs(centre - cell_centre(glyphs, length, i)) / pitch;
        if (distance <= kFarPlacement && here + distance < cost[i + 1][j + 1]) {
          cost[i + 1][j + 1] = here + distance;
          step[i + 1][j + 1] = 'm';
        }
      }
    }
  }
  std::vector<char> unread(length, 1);
  for (int i = length, j = static_cast<int>(n); i > 0 || j > 0;) {
    const char how = step[i][j];
    if (how == 'm') {
      unread[i - 1] = 0;
      out.text[i - 1] = symbols[j - 1].character;
      out.choices[i - 1] = symbols[j - 1].choices;
      --i;
      --j;
    } else if (how == 'c') {
      --i;
    } else {
      --j;
    }
  }

  const auto filler = templates.find('<');
  if (filler == templates.end()) return out;
  for (int cell = 0; cell < length; ++cell) {
    const cv::Mat& window = out.windows[cell];
    const double as_filler = glyph_similarity(window, filler->second);
    if (unread[cell]) {
      // Nothing landed here, and it does not look like a filler: a glyph the OCR skipped,
      // for the document's own samples to read (mrz_lookalikes.h).
      if (as_filler < kFillerSimilarity) out.text[cell] = kUnread;
      continue;
    }
    if (out.text[cell] == '<' || as_filler < kFillerSimilarity) continue;
    const auto own = templates.find(out.text[cell]);
    const double as_read = own == templates.end() ? -1 : glyph_similarity(window, own->second);
    // The sure samples of the letter read may themselves be misread fillers; only a clearly
    // better likeness to them keeps the letter.
    if (as_filler + kFillerMargin >= as_read) out.filler_like[cell] = 1;
  }
  return out;
}

struct LineFit {
  FittedLine line;
  double confidence = 0;
  int misfit = 0;
};

// The best reading of the lines `subset` (indexes into each pass) as one MRZ. Each line may
// come from a different pass, since one binarisation can read the first line well and
// another the second.
std::optional<MrzCandidate> best_combination(const std::vector<PassRead>& passes,
                                             const std::vector<size_t>& subset) {
  const size_t line_count = subset.size();
  // The length each line appears to have: counted in glyph cells where they were measured.
  std::vector<std::string> apparent;
  for (size_t i : subset) {
    const LineRead& line = passes.front().lines[i];
    apparent.push_back(line.glyphs ? std::string(line.glyphs->estimated_count, '?') : line.text);
  }

  std::optional<MrzCandidate> best;
  for (int length : candidate_line_lengths(apparent)) {
    // Distinct fitted texts per line, with the best confidence each was read with and the
    // least difference between the length seen and the length fitted to.
    std::vector<std::map<std::string, LineFit>> seen(line_count);
    for (const PassRead& pass : passes) {
      const GlyphTemplates templates = learn_templates(pass, length);
      for (size_t k = 0; k < line_count; ++k) {
        const LineRead& read = pass.lines[subset[k]];
        const int seen_length =
            read.glyphs ? read.glyphs->estimated_count : static_cast<int>(read.text.size());
        const int misfit = std::abs(seen_length - length);
        std::vector<FittedLine> fits;
        if (read.glyphs) fits.push_back(fit_to_cells(read, length, templates));
        // By its text alone only where the cells disagree with the length being tried.
        if (!read.glyphs || read.glyphs->estimated_count != length)
          fits.push_back({fit_filler_runs(read.text, length),
                          std::vector<std::vector<MrzCharChoice>>(length),
                          {},
                          {}});
        for (FittedLine& fitted : fits) {
          std::string key = fitted.text;
          for (char filler_like : fitted.filler_like) key += filler_like ? '1' : '0';
          auto [it, inserted] =
              seen[k].emplace(key, LineFit{std::move(fitted), read.confidence, misfit});
          it->second.confidence = std::max(it->second.confidence, read.confidence);
          it->second.misfit = std::min(it->second.misfit, misfit);
        }
      }
    }
    std::vector<std::vector<const LineFit*>> options(line_count);
    for (size_t k = 0; k < line_count; ++k)
      for (const auto& [text, fit] : seen[k]) options[k].push_back(&fit);

    std::vector<size_t> pick(line_count, 0);
    while (true) {
      std::vector<const FittedLine*> lines;
      double confidence = 0;
      int misfit = 0;
      for (size_t k = 0; k < line_count; ++k) {
        const LineFit& fit = *options[k][pick[k]];
        lines.push_back(&fit.line);
        confidence += fit.confidence;
        misfit += fit.misfit;
      }
      auto candidate = evaluate(lines, confidence / static_cast<double>(line_count), misfit);
      if (candidate && (!best || better_reading(*candidate, *best))) best = std::move(candidate);
      size_t k = 0;
      while (k < line_count && ++pick[k] == options[k].size()) pick[k++] = 0;
      if (k == line_count) break;
    }
    if (best && best->result.valid) break;  // the likelier length already reads
  }
  return best;
}

}  // namespace

// Better means: every check verifies. Among readings that fail, fewer checks fail, counting
// as one more failure every ten characters the repairs had to change, every four characters
// the fit to the format's length had to add or drop, and a third of the OCR's own doubt
// (garbage read from the wrong zone, upside down or at the wrong length fails no more checks
// than chance, but only after much changing, and the OCR is unsure of it).
// Then: fewer characters were changed only because a check digit asked for it; the lines had
// to be stretched or shrunk less to reach the format's length (a TD2 read as TD3 verifies
// too, its extra fields being fillers); more lines were laid on measured glyph cells rather
// than fitted by their text alone (names have no check digit to choose between the two);
// fewer characters were changed; fewer fields hold characters their type forbids; the OCR
// was surer.
bool better_reading(const MrzCandidate& a, const MrzCandidate& b) {
  const auto key = [](const MrzCandidate& c) {
    const double doubt = c.result.valid ? 0
                                        : c.result.checks_failed + 0.1 * c.changed +
                                              0.25 * c.misfit + 3 * (1 - c.confidence);
    return std::make_tuple(c.result.valid, -doubt, -c.guessed, -c.misfit, c.lines_on_cells,
                           -c.changed, -static_cast<int>(c.result.malformed_fields.size()),
                           c.confidence);
  };
  return key(a) > key(b);
}

// All readings of a zone's lines; three lines may also be a two-line MRZ with a line of other
// text caught above or below it.
std::optional<MrzCandidate> best_reading(const std::vector<PassRead>& passes) {
  const size_t count = passes.front().lines.size();
  std::vector<std::vector<size_t>> subsets;
  if (count == 3) subsets = {{0, 1, 2}, {0, 1}, {1, 2}};
  if (count == 2) subsets = {{0, 1}};
  std::optional<MrzCandidate> best;
  for (const auto& subset : subsets) {
    auto candidate = best_combination(passes, subset);
    if (candidate && (!best || better_reading(*candidate, *best))) best = std::move(candidate);
    if (best && best->result.valid) break;
  }
  return best;
}

}  // namespace kyc::text
