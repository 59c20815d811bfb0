#include "adapters/mrz/mrz.h"

#include <algorithm>

#include "adapters/mrz/mrz_check_digit.h"

namespace kyc::text {

namespace {

bool fits(CharClass chars, char c) {
  if (c == kMrzFiller) return true;
  const bool letter = c >= 'A' && c <= 'Z';
  const bool digit = c >= '0' && c <= '9';
  switch (chars) {
    case CharClass::Alpha:
      return letter;
    case CharClass::Numeric:
      return digit;
    case CharClass::Alnum:
      return letter || digit;
    case CharClass::Sex:
      return c == 'M' || c == 'F' || c == 'X';
  }
  return false;
}

// The primary and secondary identifiers are separated by the first "<<" (ICAO 9303 Part 3,
// 4.6); with none, the whole field is the primary identifier.
void split_names(std::string_view names, MrzResult& out) {
  const size_t separator = names.find("<<");
  if (separator == std::string_view::npos) {
    out.surname = clean_mrz_name(names);
    return;
  }
  out.surname = clean_mrz_name(names.substr(0, separator));
  out.given_names = clean_mrz_name(names.substr(separator + 2));
}

void assign(MrzFieldId id, std::string_view text, MrzResult& out) {
  switch (id) {
    case MrzFieldId::DocumentCode:
      out.document_code = clean_mrz_text(text);
      return;
    case MrzFieldId::IssuingState:
      out.issuing_state = clean_mrz_text(text);
      return;
    case MrzFieldId::DocumentNumber:
      out.document_number = clean_mrz_text(text);
      return;
    case MrzFieldId::Nationality:
      out.nationality = clean_mrz_text(text);
      return;
    case MrzFieldId::BirthDate:
      out.birth_date = clean_mrz_text(text);
      return;
    case MrzFieldId::Sex:
      out.sex = clean_mrz_text(text);
      return;
    case MrzFieldId::ExpiryDate:
      out.expiry_date = clean_mrz_text(text);
      return;
    case MrzFieldId::Names:
      split_names(text, out);
      return;
    case MrzFieldId::Surname:
      out.surname = clean_mrz_name(text);
      return;
    case MrzFieldId::GivenNames:
      out.given_names = clean_mrz_name(text);
      return;
    case MrzFieldId::OptionalData:
      out.optional_data = clean_mrz_text(text);
      return;
    case MrzFieldId::OptionalData2:
      out.optional_data_2 = clean_mrz_text(text);
      return;
    case MrzFieldId::PersonalNumber:
      out.personal_number = clean_mrz_text(text);
      return;
    case MrzFieldId::IssueDate:
    case MrzFieldId::AdministrativeCode:
    case MrzFieldId::AdministrativeCode2:
    case MrzFieldId::LanguageCode:
    case MrzFieldId::PinCode:
    case MrzFieldId::VersionNumber:
      out.national_fields.emplace_back(id, clean_mrz_text(text));
      return;
  }
}

}  // namespace

std::string clean_mrz_text(std::string_view text) {
  std::string out(text);
  std::replace(out.begin(), out.end(), kMrzFiller, ' ');
  const size_t first = out.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  return out.substr(first, out.find_last_not_of(' ') - first + 1);
}

std::string clean_mrz_name(std::string_view text) {
  std::string out;
  bool pending_space = false;
  for (char c : text) {
    if (c == kMrzFiller) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

const MrzCheckDigit* MrzResult::find_check(MrzCheck check) const {
  for (const auto& c : check_digits)
    if (c.check == check) return &c;
  return nullptr;
}

const std::string* MrzResult::national_field(MrzFieldId field) const {
  for (const auto& [id, value] : national_fields)
    if (id == field) return &value;
  return nullptr;
}

boost::system::result<MrzResult, MrzParseError> parse_mrz(std::span<const std::string> lines) {
  auto detected = detect_format(lines);
  if (!detected) return detected.error();
  const MrzLayout& layout = layout_of(*detected);

  MrzResult out;
  out.format = layout.format;
  for (const MrzFieldSpec& field : layout.fields) {
    const std::string text = span_text(lines, field.span);
    assign(field.id, text, out);
    const bool fits_class =
        std::all_of(text.begin(), text.end(), [&](char c) { return fits(field.chars, c); });
    const bool listed = std::find(out.malformed_fields.begin(), out.malformed_fields.end(),
                                  field.id) != out.malformed_fields.end();
    if (!fits_class && !listed) out.malformed_fields.push_back(field.id);
  }
  if (auto long_number = find_long_document_number(lines, layout)) {
    const MrzFieldSpec& number =
        *std::find_if(layout.fields.begin(), layout.fields.end(),
                      [](const MrzFieldSpec& f) { return f.id == MrzFieldId::DocumentNumber; });
    out.document_number = clean_mrz_text(span_text(lines, number.span) + long_number->continuation);
  }

  out.check_digits = evaluate_checks(lines, layout);
  for (const MrzCheckDigit& check : out.check_digits)
    if (!check.verified) out.failed_checks.push_back(check.check);
  out.checks_failed = static_cast<int>(out.failed_checks.size());

  out.charset_valid = std::all_of(lines.begin(), lines.end(), [](const std::string& line) {
    return std::all_of(line.begin(), line.end(), is_mrz_char);
  });
  out.valid = out.charset_valid && out.failed_checks.empty();
  return out;
}

}  // namespace kyc::text
