// Writing one CSV field (RFC 4180) that a spreadsheet will not run: the audit export, from the
// command line and from the console, writes account ids and facts that callers chose.
#pragma once

#include <string>
#include <string_view>

namespace kyc::common {

// A cell starting with one of these is read as a formula by spreadsheet programs (OWASP,
// "CSV Injection"): = + - @, and tab and carriage return, which some of them skip first.
bool starts_like_formula(std::string_view field);

enum class FormulaGuard { Off, On };
// Appends one field, RFC 4180: quoted when it holds a comma, a quote, CR or LF, with quotes
// doubled. With the guard on, a field that starts like a formula gets a leading ' and quotes,
// so a spreadsheet shows it as text instead of running it.
void append_csv_field(std::string& out, std::string_view field, FormulaGuard guard);

}  // namespace kyc::common
