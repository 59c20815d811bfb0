#include "adapters/mrz/mrz_checks.h"

#include <algorithm>

#include "adapters/mrz/mrz_check_digit.h"

namespace kyc::text {

namespace {

bool all_fillers(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == kMrzFiller; });
}

MrzCheckDigit evaluate(std::span<const std::string> lines, const MrzCheckSpec& spec) {
  std::string input;
  for (const MrzSpan& span : spec.input) input += span_text(lines, span);
  MrzCheckDigit result;
  result.check = spec.check;
  result.position = spec.digit;
  result.printed = lines[spec.digit.line][spec.digit.start];
  result.computed = compute_check_digit(input);
  if (result.printed >= '0' && result.printed <= '9')
    result.verified = result.computed && *result.computed == result.printed - '0';
  else if (result.printed == kMrzFiller)
    result.verified = spec.filler_allowed_when_input_empty && all_fillers(input);
  return result;
}

}  // namespace

std::string span_text(std::span<const std::string> lines, MrzSpan span) {
  return lines[span.line].substr(span.start, span.length);
}

std::optional<LongDocumentNumber> find_long_document_number(std::span<const std::string> lines,
                                                            const MrzLayout& layout) {
  if (!layout.long_document_number) return std::nullopt;
  const auto& checks = layout.checks;
  auto number_check = std::find_if(checks.begin(), checks.end(), [](const MrzCheckSpec& c) {
    return c.check == MrzCheck::DocumentNumber;
  });
  if (number_check == checks.end()) return std::nullopt;
  if (lines[number_check->digit.line][number_check->digit.start] != kMrzFiller) return std::nullopt;
  const MrzSpan area = layout.document_number_continuation;
  const std::string text = span_text(lines, area);
  // No filler at all: the continuation fills the whole area and its last character is the
  // check digit.
  const size_t end = std::min(text.find(kMrzFiller), text.size());
  if (end == 0) return std::nullopt;  // nothing continues: the '<' is simply a bad digit
  return LongDocumentNumber{text.substr(0, end - 1),
                            {area.line, area.start + static_cast<int>(end) - 1, 1}};
}

std::vector<MrzCheckSpec> checks_for(std::span<const std::string> lines, const MrzLayout& layout) {
  std::vector<MrzCheckSpec> specs = layout.checks;
  auto long_number = find_long_document_number(lines, layout);
  if (!long_number) return specs;
  for (MrzCheckSpec& spec : specs) {
    if (spec.check != MrzCheck::DocumentNumber) continue;
    // Strict ICAO: the filler that announces the continuation is not part of the number.
    const MrzSpan area = layout.document_number_continuation;
    spec.digit = long_number->check_digit;
    spec.input.push_back(
        {area.line, area.start, static_cast<int>(long_number->continuation.size())});
  }
  return specs;
}

std::vector<MrzCheckDigit> evaluate_checks(std::span<const std::string> lines,
                                           const MrzLayout& layout) {
  std::vector<MrzCheckDigit> results;
  for (const MrzCheckSpec& spec : checks_for(lines, layout))
    results.push_back(evaluate(lines, spec));
  return results;
}

}  // namespace kyc::text
