#include "common/csv_field.h"

namespace kyc::common {

bool starts_like_formula(std::string_view field) {
  return !field.empty() &&
         std::string_view("=+-@\t\r").find(field.front()) != std::string_view::npos;
}

void append_csv_field(std::string& out, std::string_view field, FormulaGuard guard) {
  bool guarded = guard == FormulaGuard::On && starts_like_formula(field);
  if (!guarded && field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += field;
    return;
  }
  out += '"';
  if (guarded) out += '\'';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace kyc::common
